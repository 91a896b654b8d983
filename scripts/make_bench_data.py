#!/usr/bin/env python3
"""Makes a seeded dataset for throughput measurements (not ground truth:
`leakmatch generate` is the realistic generator).

    python3 scripts/make_bench_data.py --persons 80000 --out /tmp/bench

writes /tmp/bench/recovered.csv (about 1.25 rows a person, variants of the
same person written differently) and /tmp/bench/bookings/{web,store}.csv
(about 3 booking rows a recovered row).
"""
import argparse, os, random

SURNAMES = [("山田", "ヤマダ"), ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"),
            ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ")]
GIVEN = [("太郎", "タロウ"), ("花子", "ハナコ"), ("一郎", "イチロウ"), ("美咲", "ミサキ"), ("健", "ケン"),
         ("さくら", "サクラ"), ("修", "オサム"), ("直樹", "ナオキ"), ("恵", "メグミ"), ("大輔", "ダイスケ")]
CHANNELS = ["JTBホームページ", "るるぶトラベル", "JAPANiCAN", "提携サイト:楽天トラベル", "JTB店舗", "提携販売店店舗"]
PRODUCTS = ["国内宿泊", "国内ツアー", "海外ツアー", "高速バス", "海外ホテル"]

def hira(kana):
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in kana)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=80000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    os.makedirs(os.path.join(args.out, "bookings"), exist_ok=True)
    rec = open(os.path.join(args.out, "recovered.csv"), "w", encoding="utf-8")
    web = open(os.path.join(args.out, "bookings", "web.csv"), "w", encoding="utf-8")
    store = open(os.path.join(args.out, "bookings", "store.csv"), "w", encoding="utf-8")
    rec.write("レコードID,氏名,フリガナ,性別,生年月日,メールアドレス,郵便番号,住所,電話番号,旅券番号,旅券発行日\n")
    head = "予約番号,販売チャネル,予約方法,精算場所,商品,予約日,氏名,フリガナ,生年月日,メールアドレス,電話番号\n"
    web.write(head); store.write(head)
    rid = bid = 0
    for p in range(args.persons):
        (sk, skana), (gk, gkana) = rnd.choice(SURNAMES), rnd.choice(GIVEN)
        y, m, d = rnd.randint(1935, 2005), rnd.randint(1, 12), rnd.randint(1, 28)
        email = f"user{p}@example.jp"
        phone = f"090-{p // 10000:04d}-{p % 10000:04d}"
        passport = f"TK{p:07d}" if rnd.random() < 0.3 else ""
        issue = f"{rnd.randint(2006, 2016)}-{rnd.randint(1, 12):02d}-01" if passport else ""
        for copy in range(1 + (rnd.random() < 0.25)):
            rid += 1
            if copy == 0:
                row = [f"R{rid}", f"{sk} {gk}", f"{skana} {gkana}", "男", f"{y}-{m:02d}-{d:02d}", email,
                       "100-0001", "東京都千代田区千代田1-1", phone, passport, issue]
            else:
                row = [f"R{rid}", f"{sk}　{gk}", hira(f"{skana}　{gkana}"), "M", f"{y}/{m}/{d}", email.upper(),
                       "", "", phone.replace("-", "－"), "", ""]
            rec.write(",".join(row) + "\n")
        for _ in range(rnd.randint(0, 7)):
            bid += 1
            channel = rnd.choice(CHANNELS)
            out = store if "店舗" in channel else web
            mine = rnd.random() < 0.5
            row = [f"B{bid}", channel, "ネット" if rnd.random() < 0.2 else "店頭", "店舗", rnd.choice(PRODUCTS), "2016-01-01",
                   f"{sk}{gk}", f"{skana}{gkana}", f"{y}-{m:02d}-{d:02d}" if mine else f"{y + 1}-{m:02d}-{d:02d}",
                   email if mine else f"other{bid}@example.jp", phone if mine else ""]
            out.write(",".join(row) + "\n")

if __name__ == "__main__":
    main()
