class S:
    def __str__(self):
        return str(self)
print(S())
