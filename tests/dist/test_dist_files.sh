#!/bin/sh
# test_dist_files.sh - run by `make distcheck` in the unpacked release tarball: every file git
# tracks is in the tarball, so a file left out of EXTRA_DIST fails here, by name, not on a
# user's machine. `make dist` wrote the tracked list into the tarball (dist-hook in
# Makefile.am). distcheck runs this and the unit tests; the integration suites, which read
# most of the data files, run in the plain and asan builds of the checkout, so this is what
# proves the tarball could run them too. TAP.
top=${TOP_SRCDIR:-.}
list="$top/tests/dist/git-files.txt"

echo "1..2"
n=0
[ -s "$list" ] && n=$(wc -l <"$list")
if [ "$n" -gt 0 ]; then
    echo "ok 1 - the tarball carries the list of the $n files git tracks"
else
    echo "not ok 1 - the tarball carries the list of the files git tracks"
    echo "# $list is missing or empty: was the tarball made from a git checkout?"
fi

missing=0
[ "$n" -gt 0 ] || list=/dev/null
while IFS= read -r f; do
    case $f in
    # not needed to build, test or read: git's own files, and the file that keeps m4/
    .gitignore | */.gitignore | m4/.keep) continue ;;
    esac
    if [ ! -e "$top/$f" ]; then
        [ "$missing" -eq 0 ] && echo "# tracked by git but not in the tarball (add to EXTRA_DIST):"
        echo "#   $f"
        missing=$((missing + 1))
    fi
done <"$list"
if [ "$n" -gt 0 ] && [ "$missing" -eq 0 ]; then
    echo "ok 2 - every tracked file is in the tarball"
else
    echo "not ok 2 - every tracked file is in the tarball ($missing missing of $n listed)"
fi
