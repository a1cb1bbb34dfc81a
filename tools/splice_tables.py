"""Replace the generated block of a markdown page with fresh tables (used by `make schema`)."""
import sys

page, tables = sys.argv[1], sys.argv[2]
text = open(page).read()
begin = text.index("<!-- BEGIN GENERATED")
begin = text.index("\n", begin) + 1
end = text.index("<!-- END GENERATED -->")
open(page, "w").write(text[:begin] + open(tables).read() + text[end:])
