"""Fails unless every ```cpp block of the README appears verbatim in the examples test file, so the
documented code is the code the test suite compiles and runs.

    python3 readme_check.py reference/README.md reference/test/readme_examples_test.cpp
"""
import re
import sys


def main(readme_path, test_path):
    with open(readme_path, encoding="utf-8") as f:
        readme = f.read()
    with open(test_path, encoding="utf-8") as f:
        test = f.read()
    blocks = re.findall(r"^```cpp\n(.*?)^```", readme, flags=re.S | re.M)
    if not blocks:
        print(f"{readme_path}: no ```cpp blocks found")
        return 1
    missing = [b for b in blocks if b not in test]
    for b in missing:
        first = b.strip().splitlines()[0] if b.strip() else "(empty block)"
        print(f"{readme_path}: block not found verbatim in {test_path}: {first}")
    print(f"{len(blocks) - len(missing)}/{len(blocks)} cpp blocks found in {test_path}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
