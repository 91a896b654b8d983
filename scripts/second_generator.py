#!/usr/bin/env python3
"""A second generator, deliberately unlike `leakmatch generate`, to check that
the linker generalizes: a run trained and tuned on one generator's files is
measured here on files whose structure it never saw.

    python3 scripts/second_generator.py PERSONS SEED OUT_DIR [SHAPE[+single][+fakerphones]]
    leakmatch run --recovered OUT_DIR/recovered.csv --bookings OUT_DIR/bookings --out RESULT --as-of 2016-06-14
    leakmatch evaluate --truth OUT_DIR --result RESULT

How it differs: names from small pools (40 surnames, 20 given names a
gender, as Faker's ja_JP pairs draw them), so a name says little; every
leaked row of one person written alike but for formats and 12% of fields
left out (a table written at one time), while 10% of bookings each come
after a move, a new phone or a new email; a tenth of persons share surname,
address and phone with the one before (households); twice as many customers
book without being in the leak. Towns come from src/generate/tables/addresses.tsv.
truth.csv has record_id, person_id and status (affected when a booking was
made online, or on the net and paid in a store, for a qualifying product);
booking_truth.csv has booking_id and person_id (for scripts/evidence_ceiling.py).

SHAPE (default plain) adds one structure a leak written elsewhere may have:
  scripts  half the leak rows name the person in kana only, half the bookings
           in kanji only (scripts that do not meet but through readings);
  romaji   40% of leak rows give only a passport-style romaji name, half the
           bookings no email;
  sparse   30% of leak rows keep two or three of name (one script), birth
           date, email, phone and address, a third of them no name at all,
           and 5% of leak rows are exact copies of the row before.
  handles  30% of persons' mailboxes are their name alone (taro.yamada,
           taroyamada, taro_yamada at one of the providers; a digit added
           only where that mailbox is taken, Gmail's without its dots), so
           namesakes share a local part at other providers, as common
           names' handles do.
SHAPE+single (sparse+single, ...) leaks most persons once, as a file with
about 1.05 rows a person: each person's rows after the first are kept with
probability 0.05 (drawn apart, so the rows kept are the plain SHAPE's rows,
renumbered); a row can then lean on no other row of its person.
SHAPE+fakerphones (sparse+fakerphones, sparse+single+fakerphones, ...) writes
a quarter of the phones as Python Faker's ja_JP provider writes a quarter of
its numbers (86-6661-7603: two random digits, no leading 0; a number outside
the numbering plan, but one number wherever it is written), from a stream of
its own: every other value is the SHAPE's.
Standard library only; output is a pure function of PERSONS, SEED and SHAPE.
"""
import csv, random, os, sys, unicodedata
N = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 5
random.seed(SEED)
OUT = sys.argv[3] if len(sys.argv) > 3 else 'second-generator'
SHAPE, *MODIFIERS = (sys.argv[4] if len(sys.argv) > 4 else 'plain').split('+')
if SHAPE not in ('plain', 'scripts', 'romaji', 'sparse', 'handles') or not set(MODIFIERS) <= {'single', 'fakerphones'}:
    sys.exit(f'unknown SHAPE {sys.argv[4]!r}: plain, scripts, romaji, sparse or handles, optionally +single, +fakerphones')
LEAKED = 'single' if 'single' in MODIFIERS else ''
# Which phones a +fakerphones file writes as Faker does: a stream of its own.
FAKER_PHONES = random.Random(SEED * 7919 + 3) if 'fakerphones' in MODIFIERS else None
def faker_phone(phone):
    """A quarter of the time, a number as Python Faker's ja_JP provider writes
    a quarter of its numbers: two random digits, then 4 and 4, no leading 0."""
    if FAKER_PHONES is None or FAKER_PHONES.random() >= 0.25:
        return phone
    return f"{FAKER_PHONES.randint(10, 99)}-{FAKER_PHONES.randint(1000, 9999)}-{FAKER_PHONES.randint(1000, 9999)}"
# Which later rows a +single file keeps: a stream of its own, so the main
# one (and every value it draws) is the plain SHAPE's.
KEEP_LATER = random.Random(SEED * 7919 + 1)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.makedirs(OUT + '/bookings', exist_ok=True)
SUR=[("佐藤","サトウ","Sato"),("鈴木","スズキ","Suzuki"),("高橋","タカハシ","Takahashi"),("田中","タナカ","Tanaka"),("伊藤","イトウ","Ito"),("渡辺","ワタナベ","Watanabe"),("山本","ヤマモト","Yamamoto"),("中村","ナカムラ","Nakamura"),("小林","コバヤシ","Kobayashi"),("加藤","カトウ","Kato"),("吉田","ヨシダ","Yoshida"),("山田","ヤマダ","Yamada"),("佐々木","ササキ","Sasaki"),("山口","ヤマグチ","Yamaguchi"),("松本","マツモト","Matsumoto"),("井上","イノウエ","Inoue"),("木村","キムラ","Kimura"),("林","ハヤシ","Hayashi"),("斎藤","サイトウ","Saito"),("清水","シミズ","Shimizu"),("山崎","ヤマザキ","Yamazaki"),("森","モリ","Mori"),("池田","イケダ","Ikeda"),("橋本","ハシモト","Hashimoto"),("阿部","アベ","Abe"),("石川","イシカワ","Ishikawa"),("山下","ヤマシタ","Yamashita"),("中島","ナカジマ","Nakajima"),("石井","イシイ","Ishii"),("小川","オガワ","Ogawa"),("前田","マエダ","Maeda"),("岡田","オカダ","Okada"),("長谷川","ハセガワ","Hasegawa"),("藤田","フジタ","Fujita"),("後藤","ゴトウ","Goto"),("近藤","コンドウ","Kondo"),("村上","ムラカミ","Murakami"),("遠藤","エンドウ","Endo"),("青木","アオキ","Aoki"),("坂本","サカモト","Sakamoto")]
GM=[("太郎","タロウ","Taro"),("健一","ケンイチ","Kenichi"),("大輔","ダイスケ","Daisuke"),("翔太","ショウタ","Shota"),("拓也","タクヤ","Takuya"),("直樹","ナオキ","Naoki"),("修","オサム","Osamu"),("浩","ヒロシ","Hiroshi"),("誠","マコト","Makoto"),("隆","タカシ","Takashi"),("健太","ケンタ","Kenta"),("亮","リョウ","Ryo"),("洋平","ヨウヘイ","Yohei"),("雄一","ユウイチ","Yuichi"),("和也","カズヤ","Kazuya"),("淳","ジュン","Jun"),("聡","サトシ","Satoshi"),("剛","ツヨシ","Tsuyoshi"),("学","マナブ","Manabu"),("勇気","ユウキ","Yuki")]
GF=[("花子","ハナコ","Hanako"),("美咲","ミサキ","Misaki"),("陽子","ヨウコ","Yoko"),("恵","メグミ","Megumi"),("由美","ユミ","Yumi"),("さくら","サクラ","Sakura"),("裕子","ユウコ","Yuko"),("明美","アケミ","Akemi"),("真由美","マユミ","Mayumi"),("愛","アイ","Ai"),("舞","マイ","Mai"),("彩","アヤ","Aya"),("直子","ナオコ","Naoko"),("智子","トモコ","Tomoko"),("久美子","クミコ","Kumiko"),("京子","キョウコ","Kyoko"),("洋子","ヨウコ","Yoko"),("優子","ユウコ","Yuko"),("千尋","チヒロ","Chihiro"),("奈々","ナナ","Nana")]
PLACES=[]
for r in csv.reader(open(os.path.join(ROOT, 'src', 'generate', 'tables', 'addresses.tsv'), encoding='utf-8'),delimiter='\t'):
    if r and not r[0].startswith('#') and len(r)>=4: PLACES.append(r)
PLACES=PLACES[::7]
def hira(s): return ''.join(chr(ord(c)-96) if 'ァ'<=c<='ヶ' else c for c in s)
def full(s): return ''.join(chr(ord(c)+0xFEE0) if '!'<=c<='~' else c for c in s)
def person():
    male=random.random()<0.5
    s=random.choice(SUR); g=random.choice(GM if male else GF)
    y=random.randint(1940,2004); m=random.randint(1,12); d=random.randint(1,28)
    place=random.choice(PLACES)
    return dict(s=s,g=g,male=male,birth=(y,m,d),email=f"{g[2].lower()}{random.choice(['.','_',''])}{s[2].lower()}{random.randint(1,9999)}@{random.choice(['gmail.com','yahoo.co.jp','docomo.ne.jp','ezweb.ne.jp','icloud.com'])}",
        phone=f"0{random.choice(['70','80','90'])}-{random.randint(1000,9999)}-{random.randint(1000,9999)}",
        place=place, num=f"{random.randint(1,9)}-{random.randint(1,30)}-{random.randint(1,20)}",
        passport=(f"T{random.choice('KRZ')}{random.randint(1000000,9999999)}" if random.random()<0.3 else ''))
def era(y,m,d):
    if (y,m,d)>=(1989,1,8): return f"H{y-1988}.{m}.{d}"
    return f"昭和{y-1925}年{m}月{d}日"
def reshape(row, leak):
    """Applies SHAPE to one rendered row (a leak row when `leak`)."""
    if SHAPE == 'scripts':
        if random.random() < 0.5: row['kanji' if leak else 'kana'] = ''
    elif SHAPE == 'romaji':
        if leak and random.random() < 0.4: row['kanji'] = row['kana'] = ''
        if not leak and random.random() < 0.5: row['email'] = ''
    elif SHAPE == 'sparse' and leak and random.random() < 0.3:
        groups = [('name',), ('birth',), ('email',), ('phone',), ('postal', 'addr')]
        keep = random.sample(groups[1:], random.choice([2, 3])) if random.random() < 1 / 3 else \
            [groups[0]] + random.sample(groups[1:], random.choice([1, 2]))
        kept = {field for group in keep for field in group}
        if 'name' in kept:
            script = random.choice(['kanji', 'kana', 'romaji'])
            kept |= {script}
        for field in ('kanji', 'kana', 'romaji', 'gender', 'birth', 'email', 'postal', 'addr', 'phone', 'passport'):
            if field not in kept: row[field] = ''
    return row
def render(p):
    s,g=p['s'],p['g']; y,m,d=p['birth']
    kanji=f"{s[0]} {g[0]}" if random.random()<0.7 else f"{s[0]}{g[0]}"
    kana=f"{s[1]} {g[1]}"
    r=random.random()
    if r<0.15: kana=hira(kana)
    elif r<0.25: kana=unicodedata.normalize('NFKC',kana).replace(' ','　')
    romaji=f"{s[2].upper()} {g[2].upper()}" if random.random()<0.5 else f"{g[2]} {s[2]}"
    birth=random.choice([f"{y}-{m:02d}-{d:02d}",f"{y}/{m}/{d}",era(y,m,d),f"{y}年{m}月{d}日",f"{y}{m:02d}{d:02d}"])
    email=p['email'] if random.random()<0.8 else p['email'].upper()
    phone=p['phone'] if random.random()<0.7 else p['phone'].replace('-','')
    pref,city,town=p['place'][1],p['place'][2],p['place'][3]
    addr=f"{pref}{city}{town}{p['num']}" if random.random()<0.6 else f"{city}{town}{full(p['num'])}"
    postal=p['place'][0]
    row=dict(kanji=kanji,kana=kana,romaji=romaji,gender='男' if p['male'] else '女',birth=birth,email=email,postal=postal,addr=addr,phone=phone,passport=p['passport'])
    for k in list(row):
        if random.random()<0.12: row[k]=''
    return row
persons=[person() for _ in range(int(N*3))]
for p in persons:
    p['phone'] = faker_phone(p['phone'])
# households: 10% of leak persons share address+phone+surname with the next person
for i in range(0,N-1,10):
    h=persons[i+1]; h['s']=persons[i]['s']; h['place']=persons[i]['place']; h['num']=persons[i]['num']; h['phone']=persons[i]['phone']
if SHAPE == 'handles':
    # A stream of its own, so every other value is the plain shape's.
    HANDLES = random.Random(SEED * 7919 + 2); taken = set()
    for p in persons:
        if HANDLES.random() < 0.3:
            local = f"{p['g'][2].lower()}{HANDLES.choice(['.', '_', ''])}{p['s'][2].lower()}"
            domain = HANDLES.choice(['gmail.com','yahoo.co.jp','docomo.ne.jp','ezweb.ne.jp','icloud.com'])
            # Gmail ignores dots: taro.yamada and taroyamada are one mailbox.
            mailbox = lambda: (local.replace('.', '') if domain == 'gmail.com' else local) + '@' + domain
            while mailbox() in taken:
                local += str(HANDLES.randint(0, 9))
            taken.add(mailbox()); p['email'] = f"{local}@{domain}"
CH_ON=["JTBホームページ","るるぶトラベル","JAPANiCAN","提携サイト:楽天トラベル","提携サイト:じゃらん"]; CH_ST=["JTB店舗","提携販売店店舗"]
PQ=["国内宿泊","国内ツアー","海外ツアー"]; PX=["高速バス","海外ホテル","レストラン"]
rec=csv.writer(open(OUT+'/recovered.csv','w',newline='',encoding='utf-8')); rec.writerow(['レコードID','氏名','フリガナ','氏名ローマ字','性別','生年月日','メールアドレス','郵便番号','住所','電話番号','旅券番号'])
bk=csv.writer(open(OUT+'/bookings/all.csv','w',newline='',encoding='utf-8')); bk.writerow(['予約番号','販売チャネル','予約方法','精算場所','商品','氏名','フリガナ','生年月日','メールアドレス','電話番号','郵便番号','住所','旅券番号'])
tr=csv.writer(open(OUT+'/truth.csv','w',newline='',encoding='utf-8')); tr.writerow(['record_id','person_id','status'])
btr=csv.writer(open(OUT+'/booking_truth.csv','w',newline='',encoding='utf-8')); btr.writerow(['booking_id','person_id'])
rid=0; bid=0
def write_leak_row(r, person, status):
    """Writes rendered row `r` of `person` as the next record, with its truth."""
    global rid
    rid+=1
    rec.writerow([f"R{rid:07d}",r['kanji'],r['kana'],r['romaji'],r['gender'],r['birth'],r['email'],r['postal'],r['addr'],r['phone'],r['passport']])
    tr.writerow([f"R{rid:07d}",f"T{person:06d}",status])
for i,p in enumerate(persons):
    nb=random.choice([0,1,1,2,3]) ; status='unmatched'; flags=[]
    for _ in range(nb):
        bid+=1; online=random.random()<0.7; ch=random.choice(CH_ON if online else CH_ST)
        prod=random.choice(PQ) if random.random()<0.8 else random.choice(PX)
        method='ネット' if online else ('ネット予約' if random.random()<0.2 else '店頭'); place='オンライン' if online else '店舗'
        q = (online or method=='ネット予約') and prod in PQ
        flags.append('q' if q else ('x'))
        b=dict(p)
        if random.random()<0.1: b['email']=f"new{random.randint(1,999)}.{p['email']}"
        if random.random()<0.1: b['phone']=faker_phone(f"080-{random.randint(1000,9999)}-{random.randint(1000,9999)}")
        if random.random()<0.1: b['place']=random.choice(PLACES)
        r=reshape(render(b), False)
        btr.writerow([f"B{bid:07d}",f"T{i:06d}"])
        bk.writerow([f"B{bid:07d}",ch,method,place,prod,r['kanji'],r['kana'],r['birth'],r['email'],r['phone'],r['postal'],r['addr'],r['passport']])
    if i>=N: continue
    status='affected' if 'q' in flags else ('excluded' if flags else 'unmatched')
    for row in range(random.choice([1,1,1,2,3])):
        r=reshape(render(p), True)
        kept = row == 0 or LEAKED != 'single' or KEEP_LATER.random() < 0.05
        if kept:
            write_leak_row(r, i, status)
        if SHAPE == 'sparse' and random.random() < 0.05 and kept:
            write_leak_row(r, i, status)
print(rid,'records',bid,'bookings')
