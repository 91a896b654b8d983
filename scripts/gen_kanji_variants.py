#!/usr/bin/env python3
"""Regenerates src/normalize/tables/kanji_variants.tsv, the strict kanji
variant fold for names. Builds read only the committed table; run this only
to change it, then review the diff.

Sources (research notes section 3.2):
  1. 常用漢字表 traditional forms: PyPI `joyokanji` 1.1.0 (Apache-2.0),
     files joyokanji/config/kanji.json (359 old→new pairs) and
     joyokanji/config/variants.json (17 pairs: 髙 𠮷 﨑 and compatibility
     ideographs).
  2. Unihan kJinmeiyoKanji entries of the form 2010:U+XXXX (old form →
     standard form, 230 pairs): Debian package `unicode-data` 15.0.0,
     /usr/share/unicode/Unihan_OtherMappings.txt.bz2 (Unicode licence).
  3. src/normalize/tables/kanji_variants_curated.tsv (hand-reviewed).
  4. The old forms of the 常用 and 人名用 lists whose difference is a
     component's design (淸/清, 內/内, 吳/呉, 顏/顔, 彥/彦: 常用漢字表 prints no
     bracketed old form for them) and the extended new forms of JIS X 0208
     (鶯/鴬, 蠟/蝋): PyPI `kyujipy` 0.6.8 (MIT, (c) Emmanuel Ternon), files
     kyujipy/data/kyujitai_simplified.cson and kyujitai_variants.cson, only
     pairs whose new form Shift_JIS (CP932) can hold: what an export of a
     Japanese system writes (濾/沪 and 巓/巔 stay out).
  5. The CJK Radicals Supplement characters that text copied out of a PDF
     carries in place of the ideograph (⻆ for 角, ⻑ for 長; NFKC maps the
     Kangxi radicals but not these): Unicode EquivalentUnifiedIdeograph.txt,
     same Debian package.

    pip download --no-deps -d /tmp/src joyokanji kyujipy
    (cd /tmp/src && unzip -o joyokanji-1.1.0-py3-none-any.whl && unzip -o kyujipy-0.6.8-py3-none-any.whl)
    apt-get install unicode-data
    python3 scripts/gen_kanji_variants.py --joyokanji /tmp/src/joyokanji/config --kyujipy /tmp/src/kyujipy/data

Each variant maps to exactly one canonical character; chains inside the
table (A→B, B→C) are resolved so the fold is idempotent. There is no
transitive closure over variant *families*: only these listed pairs. 斎/斉
and 埼/崎 are never merged here (they live in kanji_loose.tsv).
"""
import argparse, bz2, json, os, re, unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLES = os.path.join(ROOT, "src", "normalize", "tables")
NEVER_MERGED = [("斎", "斉"), ("埼", "崎")]

def cp932(c):
    """Whether Shift_JIS (CP932) can hold the character."""
    try:
        c.encode("cp932")
        return True
    except UnicodeEncodeError:
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--joyokanji", required=True, help="folder with kanji.json and variants.json")
    ap.add_argument("--kyujipy", required=True, help="kyujipy's data folder (kyujitai_*.cson)")
    ap.add_argument("--unihan", default="/usr/share/unicode/Unihan_OtherMappings.txt.bz2")
    ap.add_argument("--radicals", default="/usr/share/unicode/EquivalentUnifiedIdeograph.txt")
    args = ap.parse_args()
    pairs = {}  # variant -> (canonical, source)

    def resolved(c):
        seen = set()
        while c in pairs and c not in seen:
            seen.add(c)
            c = pairs[c][0]
        return c

    def add(variant, canonical, source):
        variant = unicodedata.normalize("NFKC", variant)
        canonical = unicodedata.normalize("NFKC", canonical)
        # A pair already folded together (either way round) is not added
        # again: the other direction would close a cycle.
        if variant == canonical or variant in pairs or resolved(canonical) == resolved(variant):
            return
        pairs[variant] = (canonical, source)

    for line in open(os.path.join(TABLES, "kanji_variants_curated.tsv"), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        variant, canonical = line.rstrip("\n").split("\t")[:2]
        add(variant, canonical, "curated")
    for name in ("variants.json", "kanji.json"):
        for variant, canonical in json.load(open(os.path.join(args.joyokanji, name), encoding="utf-8")).items():
            add(variant, canonical, "joyokanji")
    with bz2.open(args.unihan, "rt", encoding="utf-8") as f:
        for line in f:
            if "\tkJinmeiyoKanji\t" not in line:
                continue
            cp, _, value = line.rstrip("\n").split("\t")
            for item in value.split():
                if ":U+" in item:
                    add(chr(int(cp[2:], 16)), chr(int(item.split(":U+")[1], 16)), "kJinmeiyoKanji")
    for name in ("kyujitai_simplified.cson", "kyujitai_variants.cson"):
        text = open(os.path.join(args.kyujipy, name), encoding="utf-8").read()
        for new, old in re.findall(r'\[\s*"(.+?)"\s*,\s*"(.+?)"\s*\]', text):
            if len(new) == 1 and len(old) == 1 and cp932(new):
                add(old, new, "kyujipy")
    for line in open(args.radicals, encoding="utf-8"):
        line = line.split("#")[0].strip()
        if not line:
            continue
        codes, ideograph = (part.strip() for part in line.split(";"))
        first, _, last = codes.partition("..")
        for code in range(int(first, 16), int(last or first, 16) + 1):
            if 0x2E80 <= code <= 0x2EFF:
                add(chr(code), chr(int(ideograph, 16)), "EquivalentUnifiedIdeograph")
    # Resolve chains so that fold(fold(x)) == fold(x).
    for variant in list(pairs):
        canonical, source = pairs[variant]
        seen = {variant}
        while canonical in pairs and canonical not in seen:
            seen.add(canonical)
            canonical = pairs[canonical][0]
        if canonical == variant:
            del pairs[variant]  # a cycle: keep the character as it is
        else:
            pairs[variant] = (canonical, source)
    for a, b in NEVER_MERGED:
        for x, y in ((a, b), (b, a)):
            assert pairs.get(x, (None,))[0] != y, f"{x}->{y} must stay out of the strict table"
    out = os.path.join(TABLES, "kanji_variants.tsv")
    with open(out, "w", encoding="utf-8") as f:
        f.write("# Strict kanji variant fold for names: variant<TAB>canonical<TAB>source.\n")
        f.write("# GENERATED by scripts/gen_kanji_variants.py; do not edit (edit kanji_variants_curated.tsv).\n")
        f.write("# Sources and licences: joyokanji 1.1.0 (Apache-2.0, (c) its authors; data from the\n")
        f.write("# 常用漢字表, 文化庁); Unicode Unihan 15.0 kJinmeiyoKanji (Unicode License v3,\n")
        f.write("# (c) Unicode, Inc., https://www.unicode.org/license.txt); kyujipy 0.6.8 (MIT, (c) Emmanuel\n")
        f.write("# Ternon); Unicode EquivalentUnifiedIdeograph.txt 15.0 (same licence as Unihan);\n")
        f.write("# curated list of this project.\n")
        for variant in sorted(pairs):
            canonical, source = pairs[variant]
            f.write(f"{variant}\t{canonical}\t{source}\n")
    print(f"{len(pairs)} pairs -> {out}")

if __name__ == "__main__":
    main()
