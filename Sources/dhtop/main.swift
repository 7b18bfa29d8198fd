print("dhtop")
