#!/usr/bin/env python3
"""Writes the import benchmark's files (deterministic): participants.csv with N participants
(identity number, names, gender, project, enrolment date, two baseline answers) and
attendance.csv with K rows per participant (identity number, project, activity, date, hours),
semicolon-separated UTF-8 as `stegvis import` and `sqlite3 .import` read them.

    bench_import_files.py OUT_DIR N K PROJECT
"""
import datetime
import sys

out, n, k, project = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]


def luhn(digits):
    s = 0
    for i, c in enumerate(digits):
        v = (ord(c) - 48) * (2 - i % 2)
        s += v // 10 + v % 10
    return str((10 - s % 10) % 10)


def numbers():
    # Unique valid numbers: every day from 1960 on, serials 001-999.
    day = datetime.date(1960, 1, 1)
    while True:
        ymd = day.strftime("%y%m%d")
        full = day.strftime("%Y%m%d")
        for serial in range(1, 1000):
            s = f"{serial:03d}"
            yield f"{full}-{s}{luhn(ymd + s)}"
        day += datetime.timedelta(days=1)


GIVEN = ["Åsa", "Ali", "Maria", "Johan", "Fatima", "Erik", "Sara", "Ahmed", "Lena", "Omar"]
FAMILY = ["Öberg", "Hassan", "Lind", "Svensson", "Mohammed", "Ek", "Berg", "Nilsson"]
ACTIVITIES = ["Studiecirkel", "Vägledning", "Praktikförberedelse", "Hälsa och fritid", "Gruppträff"]
HOURS = ["2,5", "3", "1:30", "4", "0,75", "6"]
start = datetime.date(2025, 1, 2)

gen = numbers()
people = []
with open(f"{out}/participants.csv", "w", encoding="utf-8", newline="") as f:
    f.write("Personnummer;Förnamn;Efternamn;Kön;Projekt;Inskrivningsdatum;Född utomlands;"
            "Situation på arbetsmarknaden\n")
    lines = []
    for i in range(n):
        pnr = next(gen)
        enrolled = start + datetime.timedelta(days=i % 300)
        people.append((pnr, enrolled))
        lines.append(f"{pnr};{GIVEN[i % 10]};{FAMILY[i % 8]}{i};{'KM'[i % 2]};{project};"
                     f"{enrolled.isoformat()};{'Ja' if i % 3 == 0 else 'Nej'};Arbetslös\n")
        if len(lines) == 100_000:
            f.writelines(lines)
            lines = []
    f.writelines(lines)

with open(f"{out}/attendance.csv", "w", encoding="utf-8", newline="") as f:
    f.write("Personnummer;Projekt;Aktivitet;Datum;Timmar\n")
    lines = []
    for i, (pnr, enrolled) in enumerate(people):
        for j in range(k):
            day = enrolled + datetime.timedelta(days=j)
            lines.append(f"{pnr};{project};{ACTIVITIES[(i + j) % 5]};{day.isoformat()};"
                         f"{HOURS[(i + j) % 6]}\n")
        if len(lines) >= 200_000:
            f.writelines(lines)
            lines = []
    f.writelines(lines)
