import CNCursesw
import ConsoleModel

/// Turns what `wget_wch` returned into a `KeyPress`, a resize or a mouse report (which the
/// caller reads with `getmouse` and hands to `mouse(_:x:y:frame:)`). Pure; call anywhere.
enum KeyDecoder {
    enum Decoded: Equatable { case key(KeyPress), resize, mouse, none }

    /// `status` is `wget_wch`'s result (OK, KEY_CODE_YES or ERR), `value` the character or code.
    static func decode(status: Int32, value: UInt32) -> Decoded {
        if status == KEY_CODE_YES {
            switch Int32(value) {
            case KEY_RESIZE: return .resize
            case KEY_MOUSE: return .mouse
            case (KEY_F0 + 1)...(KEY_F0 + 12): return .key(.function(Int(Int32(value) - KEY_F0)))
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_DC: return .key(.delete)
            case KEY_ENTER: return .key(.enter)
            case KEY_BTAB: return .key(.backTab)
            default: return .key(.other(Int32(value)))
            }
        }
        guard status == OK else { return .none }
        switch value {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 1...26: return .key(.ctrl(Character(Unicode.Scalar(value + 96)!)))
        default:
            guard let scalar = Unicode.Scalar(value), value >= 32 else { return .key(.other(Int32(value))) }
            return .key(.char(Character(scalar)))
        }
    }

    /// The wheel moves this many rows a notch.
    static let wheelRows = 3

    /// A mouse report (`getmouse`'s button state and cell) as a key on the frame last drawn: a
    /// press of the first button on a pane is a click on the list row drawn there (`Surface.mark`);
    /// buttons 4 and 5 are the wheel; a press on a key hint is that key. Anything else (releases,
    /// motion, the header) is nil.
    static func mouse(_ state: UInt, x: Int, y: Int, frame: ScreenRenderer.Frame) -> KeyPress? {
        let button1 = UInt(nc_button1_pressed()) | UInt(nc_button1_clicked())
        if state & button1 != 0, let hint = frame.hints.first(where: { $0.y == y && x >= $0.x && x < $0.x + $0.width }) {
            return hint.press
        }
        guard let pane = frame.panes.first(where: { $0.value.contains(x: x, y: y) })?.key else { return nil }
        if state & UInt(nc_button4_pressed()) != 0 { return .wheel(pane, -wheelRows) }
        if state & UInt(nc_button5_pressed()) != 0 { return .wheel(pane, wheelRows) }
        guard state & button1 != 0 else { return nil }
        return .click(pane, item: frame.surface.target(x: x, y: y).map { $0.pane == pane ? $0.item : nil } ?? nil)
    }
}
