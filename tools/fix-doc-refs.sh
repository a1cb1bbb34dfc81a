#!/usr/bin/env bash
# Rewrites references to the documents that lived outside the repository (physics.md, design.md, formats.md,
# examples.md; "../shared/docs/…", "shared/docs/…", bare names, the shorthand "physics §N") into references to the
# repository's own pages:
#   physics.md §N  -> docs/physics.md §M     (old section numbers mapped to new ones: the %phys table below)
#   design.md      -> docs/numerics.md
#   formats.md §N  -> docs/input-formats.md §N  (same section numbers; "formats.md section N" too)
# examples.md has no counterpart in the repository and is left for the final check to report.
#
# Idempotent: a reference already of the form docs/<page>.md is never matched again (the bare-name pattern requires
# that the name is not preceded by a letter, digit, '/', '.' or '-'), so a second run changes nothing.
#
# Usage: tools/fix-doc-refs.sh [-n|--dry-run] [--check] [PATH…]
#   PATH…      files or folders to treat (default: Sources Tests README.md docs data-schema pipelines tools Makefile
#              fuzz). Under Sources/ and Tests/ only *.swift files are rewritten, under docs/ and data-schema/ only
#              *.md files; elsewhere every text file (build folders and virtual environments skipped).
#   -n         print each line that would change (file:line, old, new) and write nothing.
#   --check    rewrite nothing; only list the references that remain.
# Prints the files it changed, then lists every remaining reference to a document outside the repository, and exits
# with status 1 if there is any (2 on a usage error).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
self="tools/fix-doc-refs.sh"
cd "$root"

dry=0; check_only=0; paths=()
for a in "$@"; do
    case "$a" in
        -n|--dry-run) dry=1 ;;
        --check) check_only=1 ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "fix-doc-refs: unknown option $a" >&2; exit 2 ;;
        *) paths+=("${a%/}") ;;
    esac
done
[ ${#paths[@]} -gt 0 ] || paths=(Sources Tests README.md docs data-schema pipelines tools Makefile fuzz)

# The text files of one path, repository-relative, NUL-separated.
list_files() {
    local p="$1" name=()
    [ -e "$p" ] || { echo "fix-doc-refs: $p does not exist" >&2; return 0; }
    if [ -f "$p" ]; then printf '%s\0' "$p"; return 0; fi
    case "$p" in
        Sources|Sources/*|Tests|Tests/*) name=(-name '*.swift') ;;
        docs|docs/*|data-schema|data-schema/*) name=(-name '*.md') ;;
    esac
    find "$p" \( -name '.build*' -o -name '.venv*' -o -name '.git' -o -name 'node_modules' \) -prune -o \
        -type f "${name[@]}" -print0
}

# Only text files that mention one of the names can change or be reported (grep -I skips binary files).
files=()
while IFS= read -r -d '' f; do
    f="${f#./}"
    [ "$f" = "$self" ] || files+=("$f")
done < <(for p in "${paths[@]}"; do list_files "$p"; done | sort -zu |
         xargs -0 -r grep -IlZ -E 'physics|design\.md|formats\.md|examples\.md|shared/docs' -- 2>/dev/null || true)

if [ ${#files[@]} -eq 0 ]; then
    echo "remaining references to documents outside the repository:"
    echo "  none"
    exit 0
fi

if [ "$check_only" -eq 0 ]; then
DRY="$dry" perl -CSD -Mutf8 -e '
use strict; use warnings;
my $dry = $ENV{DRY};
# Old section of the outside physics notes -> section of docs/physics.md.
my %phys = (
    "1" => "4", "1.1" => "1.1", "1.2" => "1.2", "1.3" => "1.1", "1.4" => "4.2",
    "2" => "2", "2.1" => "2.1", "2.2" => "5", "2.3" => "6", "2.4" => "7.6", "2.5" => "7.3", "2.6" => "7.4",
    "2.7" => "4.3", "2.8" => "6.4", "2.4–2.5" => "7.1–7.3",
    "3" => "7.5", "3.1" => "7.5", "3.2" => "7.5", "3.3" => "7.5", "3.4" => "7.5",
    "4" => "8", "5" => "9", "5a" => "9.1", "5b" => "9.2", "5c" => "9.3", "5d" => "9.4", "5e" => "9", "5f" => "9",
    "5g" => "9.6", "5h" => "9", "6" => "9",
);
my %fmt = map { $_ => $_ } qw(1 2 3 4);
my %page = (physics => "docs/physics.md", design => "docs/numerics.md", formats => "docs/input-formats.md");
my $item = qr/§\s?\d+[a-h]?(?:\.\d+)?(?:[–-]\d+(?:\.\d+)?)?/;
my $unmapped = 0;

sub map_sections {
    my ($doc, $list, $where) = @_;
    return $list if $list eq "";
    my $ok = 1;
    (my $out = $list) =~ s{§\s?(\d+[a-h]?(?:\.\d+)?(?:[–-]\d+(?:\.\d+)?)?)}{
        my $k = $1; $k =~ s/-/–/;
        my $m = $doc eq "physics" ? $phys{$k} : $doc eq "formats" ? $fmt{$k} : undef;
        if (!defined $m) { $ok = 0; "§$k" } else { "§$m" }
    }ge;
    if (!$ok) { print STDERR "fix-doc-refs: $where: no mapping for $doc.md$list (left as it is)\n"; $unmapped++; return undef; }
    return $out;
}

sub rewrite {
    my ($line, $where) = @_;
    # Special cases, where the old citation was part of a sentence that the new page words differently.
    $line =~ s{\(physics\.md §1\.4 writes D\^\{1/2\}AD\^\{-1/2\}; that is symmetric}
              {(The form D^{1/2}AD^{-1/2} sometimes quoted, docs/physics.md §3.3, is symmetric}g;
    $line =~ s{\(physics\.md §1\.4; CollisionOperator\)}{(docs/physics.md §3.2; CollisionOperator)}g;
    $line =~ s{\(physics\.md §1\.4\x27s per-column test}{(docs/physics.md §3.4\x27s per-column test}g;
    $line =~ s{\(physics\.md §2\.3, §2\.5, §2\.8\)}{(docs/physics.md §6)}g;
    $line =~ s{\(physics\.md §2\.4, issue 5\)}{(docs/physics.md §5.5, issue 5)}g;
    $line =~ s{(Emitted \(directional\) temperature.*)\(physics\.md §2\.2\)}{$1(docs/physics.md §5.2)}g;
    $line =~ s{(SMM \()physics\.md §3(\): the golden-rule magnitudes of the )§3\.2( table)}{$1docs/physics.md §7.5$2§7.5$3}g;
    # "formats.md section N" -> "formats.md §N" (then mapped below).
    $line =~ s{((?:^|[^\w/.-])(?:\.\./)?(?:shared/docs/)?formats\.md) section (\d)}{$1 §$2}g;
    # General form: an optional outside-path prefix or no path at all, the page name, an optional closing backtick,
    # an optional list of sections. The shorthand "physics §N" (no .md) needs a section.
    $line =~ s{(?:(?:\.\./)?shared/docs/|(?<![\w/.-]))(physics|design|formats|examples)(\.md|(?=\s?§))(`?)((?:\s?$item)(?:,\s?$item)*)?}{
        my ($doc, $ext, $tick, $list) = ($1, $2, $3, defined $4 ? $4 : "");
        my $orig = $&;
        if (!exists $page{$doc}) { $orig }                       # examples.md: reported by the check
        elsif ($ext eq "" && $list eq "") { $orig }
        else {
            my $sec = map_sections($doc, $list, $where);
            defined $sec ? "$page{$doc}$tick$sec" : $orig;
        }
    }ge;
    return $line;
}

for my $f (@ARGV) {
    open(my $in, "<", $f) or die "fix-doc-refs: cannot read $f: $!\n";
    my @lines = <$in>; close $in;
    my $changed = 0;
    for my $i (0 .. $#lines) {
        my $new = rewrite($lines[$i], "$f:" . ($i + 1));
        next if $new eq $lines[$i];
        $changed = 1;
        if ($dry) { (my $o = $lines[$i]) =~ s/^\s+|\s+$//g; (my $n = $new) =~ s/^\s+|\s+$//g; print "$f:", $i + 1, ":\n  - $o\n  + $n\n"; }
        $lines[$i] = $new;
    }
    if ($changed && !$dry) {
        open(my $out, ">", $f) or die "fix-doc-refs: cannot write $f: $!\n";
        print $out @lines; close $out or die "fix-doc-refs: cannot write $f: $!\n";
        print "changed: $f\n";
    }
}
exit($unmapped ? 3 : 0);
' -- "${files[@]}" || { rc=$?; [ "$rc" -eq 3 ] || exit "$rc"; }
fi

# Whatever still points outside the repository.
echo "remaining references to documents outside the repository:"
if perl -CSD -Mutf8 -ne '
    if (m{shared/docs/} || m{(?<![\w/.-])(?:physics|design|formats|examples)\.md} || m{(?<![\w/.-])physics\s?§}) {
        (my $t = $_) =~ s/^\s+|\s+$//g; print "  $ARGV:$.: $t\n"; $found = 1;
    }
    close ARGV if eof;
    END { exit($found ? 1 : 0) }
' -- "${files[@]}"; then
    echo "  none"
else
    exit 1
fi
