import DHTCore
