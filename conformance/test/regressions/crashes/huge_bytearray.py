b = bytearray(10**12)
