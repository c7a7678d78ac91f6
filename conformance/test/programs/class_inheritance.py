# Inheritance: single and multiple (C3 MRO), super(), property, classmethod, staticmethod,
# __slots__, and decorators on functions, methods and classes.
registry = []


def register(cls):
    registry.append(cls.__name__)
    return cls


def trace(fn):
    def wrapper(*args, **kwargs):
        print("call", fn.__name__, args[1:], kwargs)
        return fn(*args, **kwargs)
    wrapper.__name__ = fn.__name__
    return wrapper


def repeat(n):
    def deco(fn):
        def run(*args):
            return [fn(*args) for _ in range(n)]
        return run
    return deco


@repeat(3)
def hello(name):
    return "hi " + name


print(hello("bob"))


@register
class Animal:
    kind = "animal"
    count = 0

    def __init__(self, name):
        self.name = name
        Animal.count += 1

    def speak(self):
        return f"{self.name} makes a sound"

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r})"

    @classmethod
    def create(cls, name):
        return cls(name)

    @staticmethod
    def describe(x):
        return "static " + str(x)

    @property
    def upper(self):
        return self.name.upper()


@register
class Dog(Animal):
    kind = "dog"

    def __init__(self, name, breed):
        super().__init__(name)
        self.breed = breed

    @trace
    def speak(self, loud=False):
        base = super().speak()
        return base.upper() if loud else base + " (woof)"


d = Dog("rex", "lab")
print(d, d.speak(), d.speak(loud=True), d.kind, Animal.kind, Dog.count, d.upper)
print(Dog.create, Animal.create("cat"), d.describe(1), Dog.describe(2))
print(isinstance(d, Animal), issubclass(Dog, Animal), issubclass(Animal, Dog), registry)
print(Dog.__mro__, Dog.__bases__, Dog.__base__)
try:
    d.upper = "X"
except AttributeError as e:
    print("AttributeError:", e)


class Temperature:
    def __init__(self):
        self._c = 0

    @property
    def celsius(self):
        return self._c

    @celsius.setter
    def celsius(self, v):
        if v < -273.15:
            raise ValueError("too cold")
        self._c = v

    @celsius.deleter
    def celsius(self):
        print("deleting")
        self._c = None

    fahrenheit = property(lambda self: self._c * 9 / 5 + 32)


t = Temperature()
t.celsius = 25
print(t.celsius, t.fahrenheit)
try:
    t.celsius = -300
except ValueError as e:
    print("ValueError:", e)
del t.celsius
print(t.celsius)


class A:
    def who(self):
        return "A"


class B(A):
    def who(self):
        return "B>" + super().who()


class C(A):
    def who(self):
        return "C>" + super().who()


class D(B, C):
    def who(self):
        return "D>" + super().who()


print(D().who(), [k.__name__ for k in D.__mro__], super(B, D()).who())
try:
    class Bad(A, B):
        pass
except TypeError as e:
    print("TypeError:", e)


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self):
        self.a = 1


s = Slotted()
s.b = 2
print(s.a, s.b)
try:
    s.c = 3
except AttributeError as e:
    print("AttributeError:", e)


class Base:
    def __init_subclass__(cls):
        pass

    def template(self):
        return f"<{self.part()}>"

    def part(self):
        raise NotImplementedError


class Impl(Base):
    def part(self):
        return "impl"


print(Impl().template())
try:
    Base().template()
except NotImplementedError as e:
    print("NotImplementedError", repr(e))


class AppError(Exception):
    def __init__(self, code, msg):
        super().__init__(f"[{code}] {msg}")
        self.code = code

    @property
    def retryable(self):
        return self.code >= 500


class Mixin:
    def hint(self):
        return "try again"


class NetError(Mixin, AppError):
    pass


try:
    raise NetError(503, "unavailable")
except AppError as e:
    print(type(e).__name__, e, e.code, e.retryable, e.hint(), repr(e), isinstance(e, Mixin))


class Counter:
    instances = 0

    def __new__(cls, *args):
        cls.instances += 1
        return super().__new__(cls)

    def __init__(self, start):
        self.value = start

    def __setattr__(self, name, value):
        print("set", name, value)
        super().__setattr__(name, value)

    def __getattr__(self, name):
        return f"no {name}"


c = Counter(5)
print(c.value, c.missing, Counter.instances)
