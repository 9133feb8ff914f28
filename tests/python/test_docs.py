"""docs/python.md's five-line script, run exactly as the page shows it."""
import os
import re
import subprocess
import sys
import unittest

DOC = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "python.md")


class DocsTest(unittest.TestCase):
    def test_five_line_script(self):
        with open(DOC) as f:
            text = f.read()
        m = re.search(r"Then this script answers a check:\n\n```python\n(.*?)```", text, re.S)
        self.assertIsNotNone(m, "docs/python.md lost its script")
        script = m.group(1)
        self.assertEqual(len(script.strip().splitlines()), 5)
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             check=True, env=os.environ)
        self.assertEqual(out.stdout.strip(), "True False")


if __name__ == "__main__":
    unittest.main()
