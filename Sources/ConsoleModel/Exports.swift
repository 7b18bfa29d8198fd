// The console model speaks NodeAPI (commands, outcomes, snapshots, formats) and shows BitDust
// records with BitDustRecords' escaper; every user of the model sees both.
@_exported import BitDustRecords
@_exported import NodeAPI
