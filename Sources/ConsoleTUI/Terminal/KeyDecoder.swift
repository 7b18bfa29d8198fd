import CNCursesw
import ConsoleModel

/// Turns what `wget_wch` returned into a `KeyPress` or a resize. Pure; call anywhere.
enum KeyDecoder {
    enum Decoded: Equatable { case key(KeyPress), resize, none }

    /// `status` is `wget_wch`'s result (OK, KEY_CODE_YES or ERR), `value` the character or code.
    static func decode(status: Int32, value: UInt32) -> Decoded {
        if status == KEY_CODE_YES {
            switch Int32(value) {
            case KEY_RESIZE: return .resize
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
}
