#!/usr/bin/env python3
"""The evidence ceiling of a generated dataset: the highest affected-record
recall any linker can reach on it.

A truly affected leak record can be found only through evidence: a chain of
its own person's rows and bookings, each sharing something with the next, that
ends at a booking that makes the person affected. A record with no such chain
(an empty row, a lone phone number the customer changed before every booking,
an email nobody else wrote) is affected in the truth and unreachable from the
data. The generator writes such rows on purpose, more as --variation-share and
--missing-rate grow; this script measures how many, so a recall target is read
against what the data allows.

    python3 scripts/evidence_ceiling.py DATA_DIR RESULT_DIR [LEAKMATCH_BIN] [--row]

DATA_DIR is a `leakmatch generate` folder, RESULT_DIR a `leakmatch run` result on
it (its persons.csv says what the run found). Which bookings qualify is the
`decision` column of `leakmatch normalize --kind bookings`, for every booking,
linked by the run or not (taking it from the run's bookings.csv, which lists
linked bookings only, left out the qualifying bookings the run never linked,
so the ceiling was too low where the run missed most). Values are compared as
`leakmatch normalize` writes them (the tool's own keys). Two nodes of one
person join:

  any          on any one shared value: email, phone, passport, a whole-name
               key (kanji, or romaji from kana or romaji), a surname or a
               given-name key alone, the birth date, the postal code or the
               address (city + town + house numbers). Generous on purpose: a
               shared birth date alone links nobody in practice, so this is an
               upper bound for every linker, bookings joining each other too.
  identifying  on an email, a phone, a passport or a whole-name key, or on the
               birth date and the address together.
  leak only    as identifying, but two bookings never join each other: a
               booking reaches a record through leak rows only, as
               `leakmatch run` links (it does not deduplicate bookings).
  unambiguous  as leak only, but a join counts only when no node of another
               person holds every value the two nodes share (the name, the
               birth date, the phone ... together): a household's phone and
               address, or a namesake's name and birth date, fit two persons,
               and nothing in them says which one a row is. A diagnostic,
               not a bound: a linker also joins on names with a typo, which
               share no key, so it finds records outside this reach; the
               reachable records it misses are the misses to study first.

Output: the recall of the run and of each ceiling, how many reachable records
the run found, and how many it found outside the generous ceiling (through a
fuzzy name, or linked to another affected person). With --row: one line,
"run_recall any identifying leak_only unambiguous", for
scripts/sweep.sh (which reads the first two).
"""
import csv
import glob
import os
import subprocess
import sys
from collections import defaultdict

WHOLE = ('email', 'phone', 'passport', 'name')
GENEROUS = WHOLE + ('part', 'birth', 'postal', 'address')
MODES = ('any', 'identifying', 'leak_only', 'unambiguous')


def normalized_rows(leakmatch, path, kind):
    text = subprocess.run([leakmatch, 'normalize', '--kind', kind, path], check=True, capture_output=True,
                          text=True, encoding='utf-8').stdout
    return csv.DictReader(text.splitlines())


def evidence(row):
    """The comparable values of one normalized row, by kind (sets)."""
    if row['status'] != 'ok':
        return {}
    values = defaultdict(set)
    for column, kind in (('email_key', 'email'), ('phone_norm', 'phone'), ('passport_number_norm', 'passport'),
                         ('birth_date_norm', 'birth'), ('postal_code_norm', 'postal')):
        if row.get(column):
            values[kind].add(row[column])
    if row.get('name_kanji_loose'):
        values['name'].add('kanji:' + row['name_kanji_loose'])
    for column in ('name_kana_romaji_loose', 'name_romaji_loose', 'name_romaji_swapped_loose'):
        if row.get(column):
            values['name'].add('romaji:' + row[column])
    for column in ('name_kana_surname_key', 'name_kana_given_key'):
        if row.get(column):
            values['part'].add(row[column])
    values['part'].update(t.upper() for t in row.get('name_romaji_norm', '').replace('/', ' ').split() if len(t) > 1)
    if row.get('address_town') and row.get('address_numbers'):
        values['address'].add('|'.join((row['address_city'], row['address_town'], row['address_numbers'])))
    return {kind: found for kind, found in values.items() if found}


def shared(a, b, kinds):
    return [kind for kind in kinds if kind in a and kind in b and a[kind] & b[kind]]


def joined(a, b, mode):
    if mode == 'any':
        return bool(shared(a, b, GENEROUS))
    return bool(shared(a, b, WHOLE)) or len(shared(a, b, ('birth', 'address'))) == 2


def holders_of(nodes_of):
    """(kind, value) -> the persons some node of which holds it."""
    holders = defaultdict(set)
    for person, nodes in nodes_of.items():
        for _, _, evidence_of in nodes:
            for kind, values in evidence_of.items():
                for value in values:
                    holders[(kind, value)].add(person)
    return holders


def unambiguous(a, b, person, holders):
    """Whether only `person` holds every value nodes `a` and `b` share."""
    persons = None
    for kind in GENEROUS:
        for value in a.get(kind, set()) & b.get(kind, set()):
            persons = holders[(kind, value)] if persons is None else persons & holders[(kind, value)]
    return persons is not None and persons == {person}


def reachable(nodes, start, mode, person=None, holders=None):
    """Indexes of `nodes` (id, is_booking, evidence) that a chain joins to
    `start`; `person` and `holders` (`holders_of`) for mode unambiguous."""
    seen = set(start)
    stack = list(start)
    leak_only = mode in ('leak_only', 'unambiguous')
    while stack:
        i = stack.pop()
        for j, node in enumerate(nodes):
            if j in seen or (leak_only and nodes[i][1] and node[1]):
                continue
            if joined(nodes[i][2], node[2], mode) and (
                    mode != 'unambiguous' or unambiguous(nodes[i][2], node[2], person, holders)):
                seen.add(j)
                stack.append(j)
    return seen


def read(path):
    return csv.DictReader(open(path, encoding='utf-8', newline=''))


def main():
    args = [a for a in sys.argv[1:] if a != '--row']
    if len(args) < 2:
        sys.exit(__doc__)
    data, result = args[0], args[1]
    leakmatch = args[2] if len(args) > 2 else 'leakmatch'
    truth = {r['record_id']: r for r in read(os.path.join(data, 'truth.csv'))}
    booking_person = {r['booking_id']: r['person_id'] for r in read(os.path.join(data, 'booking_truth.csv'))}
    found_status = {}
    for r in read(os.path.join(result, 'persons.csv')):
        for record_id in r['record_ids'].split(';'):
            found_status[record_id] = r['status']
    nodes_of = defaultdict(list)
    qualifying = set()
    for row in normalized_rows(leakmatch, os.path.join(data, 'recovered.csv'), 'recovered'):
        record_id = row['レコードID']
        nodes_of[truth[record_id]['person_id']].append((record_id, False, evidence(row)))
    for path in sorted(glob.glob(os.path.join(data, 'bookings', '*.csv'))):
        for row in normalized_rows(leakmatch, path, 'bookings'):
            booking_id = row['予約番号']
            nodes_of[booking_person[booking_id]].append((booking_id, True, evidence(row)))
            if row.get('decision') == 'qualifying':
                qualifying.add(booking_id)
    holders = holders_of(nodes_of)
    actual = found = 0
    reach = dict.fromkeys(MODES, 0)
    found_of_reach = dict.fromkeys(MODES, 0)
    for person, nodes in nodes_of.items():
        affected = [i for i, (node_id, is_booking, _) in enumerate(nodes)
                    if not is_booking and truth[node_id]['status'] == 'affected']
        if not affected:
            continue
        hit = {i for i in affected if found_status.get(nodes[i][0]) == 'affected'}
        actual += len(affected)
        found += len(hit)
        start = [i for i, (node_id, is_booking, _) in enumerate(nodes) if is_booking and node_id in qualifying]
        for mode in MODES:
            seen = reachable(nodes, start, mode, person, holders)
            reach[mode] += sum(1 for i in affected if i in seen)
            found_of_reach[mode] += sum(1 for i in hit if i in seen)
    if actual == 0:
        sys.exit('no truly affected record in ' + data)
    if '--row' in sys.argv:
        print(f'{found / actual:.4f}', *(f'{reach[m] / actual:.4f}' for m in MODES))
        return
    print(f'truly affected records: {actual}; the run found {found} (recall {found / actual:.4f})')
    for mode in MODES:
        print(f'ceiling {mode}: {reach[mode]} reachable (recall {reach[mode] / actual:.4f}, '
              f'F1 at precision 1 {2 * reach[mode] / (actual + reach[mode]):.4f}); the run found '
              f'{found_of_reach[mode]} of them, {found - found_of_reach[mode]} outside')


if __name__ == '__main__':
    main()
