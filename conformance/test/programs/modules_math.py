# math: constants, float functions, integer functions and their errors.
import math
from math import pi, sqrt

print(pi, math.e, math.tau, math.inf, -math.inf, math.nan, sqrt(2), math.sqrt(16))
print(math.floor(2.7), math.ceil(2.1), math.trunc(-2.7), math.floor(-0.5), math.ceil(5), type(math.floor(1.5)))
print(math.exp(1), math.log(100, 10), math.log(math.e), math.log2(1024), math.log10(0.001), math.log1p(1e-10))
print(math.sin(pi / 6), math.cos(0), math.tan(pi / 4), math.atan2(1, -1), math.asin(1), math.acos(0.5), math.atan(1))
print(math.hypot(3, 4), math.hypot(1, 2, 2), math.dist((0, 0), (3, 4)), math.degrees(pi), math.radians(180))
print(math.pow(2, 10), math.pow(2, 0.5), math.fabs(-3), math.copysign(3, -0.0), math.fmod(7, 3), math.fmod(-7, 3))
print(math.isclose(0.1 + 0.2, 0.3), math.isclose(1, 1.1), math.isclose(1, 1.05, rel_tol=0.1), math.isclose(0, 1e-10, abs_tol=1e-9))
print(math.isfinite(1.0), math.isinf(math.inf), math.isnan(math.nan), math.isnan(1))
print(math.modf(3.25), math.modf(-2.5), math.frexp(8), math.ldexp(0.5, 4))
print(math.factorial(0), math.factorial(10), math.factorial(20), math.comb(10, 3), math.comb(5, 7), math.perm(5, 2), math.perm(4))
print(math.gcd(12, 18), math.gcd(0, 5), math.gcd(-4, 6), math.gcd(), math.gcd(12, 18, 8), math.lcm(4, 6), math.lcm(), math.lcm(3, 0))
print(math.isqrt(17), math.isqrt(10**18), math.prod([1, 2, 3, 4]), math.prod([]), math.prod([0.5, 4], start=2))
print(math.fsum([0.1] * 10), sum([0.1] * 10), math.fsum([1e100, 1.0, -1e100, 1e-100]), math.fsum([]))
print(math.erf(1), math.erfc(1), math.sinh(1), math.cosh(1), math.tanh(1), math.asinh(1))
print(math.acosh(2), math.atanh(0.5), math.expm1(1e-5))
for bad in [
    lambda: math.sqrt(-1),
    lambda: math.log(0),
    lambda: math.log(-1),
    lambda: math.exp(1000),
    lambda: math.factorial(-1),
    lambda: math.factorial(1.5),
    lambda: math.sqrt('x'),
    lambda: math.floor(math.inf),
    lambda: math.floor(math.nan),
    lambda: math.comb(-1, 2),
    lambda: math.acos(2),
    lambda: math.pow(0, -1),
    lambda: math.fmod(1, 0),
    lambda: math.isqrt(-1),
    lambda: math.log(8, 1),
    lambda: math.gcd(1.5),
    lambda: math.atanh(1),
]:
    try:
        bad()
    except (ValueError, TypeError, OverflowError, ZeroDivisionError) as e:
        print(type(e).__name__, e)
