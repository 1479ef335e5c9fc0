"""The reporting benchmark's DuckDB side: load the CSVs `stegvis bench report` wrote, compute the
same goal and indicator report as plain SQL, time it, check the totals equal Stegvis's, and print
both times and their ratio.

Usage: bench_duckdb.py CSV_DIR RESULT.json [RESULT.json ...]
"""

import json
import sys
import time

import duckdb

ANSWERS = [
    "born_abroad", "foreign_background", "disability", "homeless", "jobless_household",
    "dependent_children", "single_adult_with_children", "social_assistance", "sick_leave",
    "activity_compensation", "registered_at_employment_service",
]

# Goals per project, as the demo loads them (crates/demo/src/seed/goals.rs).
OFFERED_75 = {"En väg in", "Nästa steg (demoprojekt)"}
YOUNG_ADULTS = {"Nästa steg (demoprojekt)"}
LEFT_125 = {"Vägar till egenförsörjning"}
NO_PLANNED = {"Samverkan utan gränser"}

REPORT = f"""
WITH att AS (
    -- Whole hours as the funder counts them: each enrolment's month rounded down, summed.
    SELECT enrolment_id, SUM(month_minutes // 60) AS hours FROM (
        SELECT e.enrolment_id, date_trunc('month', a.attended_on) AS month,
            SUM(a.minutes) AS month_minutes
        FROM attendance a JOIN enrolments e ON e.participant_id = a.participant_id
            AND e.project_id = a.project_id AND a.attended_on >= e.enrolled_on
            AND (e.exited_on IS NULL OR a.attended_on <= e.exited_on)
        GROUP BY e.enrolment_id, month
    ) GROUP BY enrolment_id
), e AS (
    SELECT e.*,
        year(e.enrolled_on) - year(e.birth_date)
            - CASE WHEN month(e.enrolled_on) * 100 + day(e.enrolled_on)
                        < month(e.birth_date) * 100 + day(e.birth_date) THEN 1 ELSE 0 END AS age,
        e.birth_date IS NOT NULL AND e.labour_status IS NOT NULL AND e.isced_level IS NOT NULL
            AND (e.labour_status <> 'unemployed'
                 OR (e.months_without_work IS NOT NULL AND e.long_term_unemployed IS NOT NULL))
            AND (e.labour_status <> 'inactive' OR e.in_education IS NOT NULL)
            AND {" AND ".join(f"e.{a} IS NOT NULL" for a in ANSWERS)} AS complete,
        f1.job_searching AS f1_job_searching, f1.in_education AS f1_in_education,
        f1.gained_qualification AS f1_qualification, f1.employed AS f1_employed,
        f6.employed AS f6_employed, f6.improved_situation AS f6_improved,
        EXISTS (SELECT 1 FROM placements p WHERE p.participant_id = e.participant_id
                AND p.kind IN ('work_trial', 'work_training', 'work_practice')
                AND p.offered_on >= e.enrolled_on
                AND (e.exited_on IS NULL OR p.offered_on <= e.exited_on)) AS offered,
        coalesce(att.hours, 0) AS hours
    FROM enrolments e
    LEFT JOIN follow_ups f1 ON f1.enrolment_id = e.enrolment_id AND f1.kind = 'immediate_result'
        AND f1.done_on BETWEEN e.exited_on AND e.exited_on + INTERVAL 28 DAY
    LEFT JOIN follow_ups f6 ON f6.enrolment_id = e.enrolment_id AND f6.kind = 'day_180'
        AND f6.done_on BETWEEN e.exited_on + INTERVAL 180 DAY AND e.exited_on + INTERVAL 208 DAY
    LEFT JOIN att ON att.enrolment_id = e.enrolment_id
)
SELECT project_id, gender,
    count(*) AS enrolled,
    count(*) FILTER (WHERE offered) AS offered,
    count(*) FILTER (WHERE age BETWEEN 18 AND 29) AS young,
    count(*) FILTER (WHERE exited_on IS NOT NULL
                     AND exit_status IN ('subsidised_work', 'labour_market_programme')) AS left_goal,
    sum(hours) AS whole_hours,
    count(*) FILTER (WHERE complete) AS eeco01,
    count(*) FILTER (WHERE complete AND labour_status = 'unemployed') AS eeco02,
    count(*) FILTER (WHERE complete AND labour_status = 'unemployed' AND long_term_unemployed = 'yes') AS eeco03,
    count(*) FILTER (WHERE complete AND labour_status = 'inactive') AS eeco04,
    count(*) FILTER (WHERE complete AND labour_status = 'employed') AS eeco05,
    count(*) FILTER (WHERE complete AND age < 18) AS eeco06,
    count(*) FILTER (WHERE complete AND age BETWEEN 18 AND 29) AS eeco07,
    count(*) FILTER (WHERE complete AND age >= 55) AS eeco08,
    count(*) FILTER (WHERE complete AND isced_level <= 2) AS eeco09,
    count(*) FILTER (WHERE complete AND isced_level BETWEEN 3 AND 4) AS eeco10,
    count(*) FILTER (WHERE complete AND isced_level >= 5) AS eeco11,
    count(*) FILTER (WHERE complete AND disability = 'yes') AS eeco12,
    count(*) FILTER (WHERE complete AND foreign_background = 'yes') AS eeco14,
    count(*) FILTER (WHERE complete AND homeless = 'yes') AS eeco16,
    count(*) FILTER (WHERE complete AND f1_job_searching = 'yes' AND labour_status = 'inactive') AS eecr01,
    count(*) FILTER (WHERE complete AND f1_in_education = 'yes') AS eecr02,
    count(*) FILTER (WHERE complete AND f1_qualification = 'yes') AS eecr03,
    count(*) FILTER (WHERE complete AND f1_employed = 'yes') AS eecr04,
    count(*) FILTER (WHERE complete AND f6_employed = 'yes') AS eecr05,
    count(*) FILTER (WHERE complete AND f6_improved = 'yes' AND labour_status = 'employed') AS eecr06
FROM e GROUP BY project_id, gender
"""


def load(con, csv_dir):
    con.execute(
        f"CREATE TABLE enrolments AS SELECT * FROM read_csv('{csv_dir}/enrolments.csv', header=true, "
        f"types={{'birth_date': 'DATE', 'enrolled_on': 'DATE', 'exited_on': 'DATE', "
        f"'isced_level': 'INTEGER', 'months_without_work': 'INTEGER', 'long_term_unemployed': 'VARCHAR', "
        f"'in_education': 'VARCHAR', 'exit_status': 'VARCHAR'}})"
    )
    con.execute(f"CREATE TABLE placements AS SELECT * FROM read_csv('{csv_dir}/placements.csv', header=true, types={{'offered_on': 'DATE'}})")
    con.execute(f"CREATE TABLE follow_ups AS SELECT * FROM read_csv('{csv_dir}/follow_ups.csv', header=true, types={{'done_on': 'DATE'}})")
    con.execute(f"CREATE TABLE attendance AS SELECT * FROM read_csv('{csv_dir}/attendance.csv', header=true, types={{'attended_on': 'DATE', 'minutes': 'BIGINT'}})")
    con.execute(f"CREATE TABLE projects AS SELECT * FROM read_csv('{csv_dir}/projects.csv', header=true)")


def main():
    csv_dir, results = sys.argv[1], sys.argv[2:]
    con = duckdb.connect()
    load(con, csv_dir)
    names = dict(con.execute("SELECT project_id, name FROM projects").fetchall())
    times = []
    rows = None
    for _ in range(3):
        started = time.perf_counter()
        rows = con.execute(REPORT).fetchall()
        times.append(time.perf_counter() - started)
    cols = [d[0] for d in con.description]
    by_project = {}
    for r in rows:
        d = dict(zip(cols, r))
        t = by_project.setdefault(names[d["project_id"]], {})
        for k, v in d.items():
            if isinstance(v, (int, float)) and v is not None:
                t[k] = t.get(k, 0) + int(v)
    # The same totals as Stegvis prints: EECO01, EECR04, whole hours, and each goal's achieved total.
    duck = {}
    for name, t in by_project.items():
        goals = [] if name in NO_PLANNED else [t["enrolled"]]
        if name in OFFERED_75:
            goals.append(t["offered"])
        if name in YOUNG_ADULTS:
            goals.append(t["young"])
        if name in LEFT_125:
            goals.append(t["left_goal"])
        duck[name] = (t["eeco01"], t["eecr04"], t["whole_hours"], goals)
    duck_cold, duck_warm = times[0], min(times[1:])
    print(f"DuckDB {duckdb.__version__}: cold {duck_cold:.3f} s, warm {duck_warm:.3f} s")
    ok = True
    for path in results:
        with open(path) as f:
            run = json.load(f)
        theirs = {name: (a, b, h, list(g)) for name, a, b, h, g in run["totals"]}
        same = all(theirs.get(n) == v for n, v in duck.items()) and len(theirs) == len(duck)
        ok &= same
        print(
            f"Stegvis on {run['backend']}: {run['participants']:,} participants, "
            f"{run['attendance_rows']:,} attendance rows (loaded in {run['generate_seconds']:.0f} s, "
            f"tallies built in {run['tally_seconds']:.0f} s); "
            f"report cold {run['report_cold_seconds']:.3f} s, warm {run['report_warm_seconds']:.3f} s; "
            f"ratio to DuckDB (warm) {run['report_warm_seconds'] / duck_warm:.1f}x; "
            f"same totals as DuckDB: {'yes' if same else 'NO'}"
        )
        if not same:
            for n in sorted(duck):
                if theirs.get(n) != duck[n]:
                    print(f"  {n}: Stegvis {theirs.get(n)} DuckDB {duck[n]}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
