import DHTRuntime
