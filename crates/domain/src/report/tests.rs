//! A hand-checked data set: eight enrolments, each chosen to hit or miss particular indicators,
//! the completeness rule, the 4-week and 6-month windows, and small cells.

use super::*;
use crate::baseline::{Answer, Baseline, LabourStatus};
use time::macros::date;

fn baseline(status: LabourStatus) -> Baseline {
    let mut b = Baseline {
        labour_status: Some(status),
        isced_level: Some(3),
        ..Baseline::default()
    };
    for f in crate::baseline::BaselineField::ALL {
        if f.is_answer() {
            b.set_answer(*f, Some(Answer::No));
        }
    }
    if status == LabourStatus::Unemployed {
        b.months_without_work = Some(3);
    }
    b
}

fn row(gender: Gender, born: Date, status: LabourStatus) -> ReportRow {
    ReportRow {
        gender,
        birth_date: Some(born),
        enrolled_on: date!(2025 - 01 - 15),
        exited_on: None,
        exit_status: None,
        baseline: baseline(status),
        offered: vec![],
        started: vec![],
        on_leaving: None,
        after_six_months: None,
        attended_by_month: Default::default(),
    }
}

fn left(mut r: ReportRow, on: Date, status: ExitStatus) -> ReportRow {
    r.exited_on = Some(on);
    r.exit_status = Some(status);
    r
}

/// The data set, with what each row is for.
pub(crate) fn data() -> Vec<ReportRow> {
    use Gender::*;
    use LabourStatus::*;
    let exit = date!(2025 - 06 - 30);
    let leaving = |done_on: Date, employed: bool| OnLeaving {
        done_on,
        job_searching: !employed,
        in_education: false,
        gained_qualification: employed,
        employed,
    };
    let mut rows = Vec::new();
    // 0: woman, 17 at entry (birthday the day after entry), unemployed and long-term, ISCED 2,
    //    left for work, asked on the 28th day: EECR03 and EECR04; six months later employed,
    //    asked on the first day of the window: EECR05.
    let mut r = row(Woman, date!(2007 - 01 - 16), Unemployed);
    r.baseline.long_term_unemployed = Some(Answer::Yes);
    r.baseline.isced_level = Some(2);
    r.offered = vec![PlacementKind::WorkTrial];
    r.started = vec![PlacementKind::WorkTrial];
    r.on_leaving = Some(leaving(exit + Duration::days(28), true));
    r.after_six_months = Some(AfterSixMonths {
        done_on: exit + Duration::days(180),
        employed: true,
        improved_situation: false,
        social_assistance: None,
    });
    rows.push(left(r, exit, ExitStatus::Work));
    // 1: woman, 18 on the day of entry, inactive, disability: asked on day 29, outside the
    //    4-week window: no result indicator.
    let mut r = row(Woman, date!(2007 - 01 - 15), Inactive);
    r.baseline.in_education = Some(Answer::No);
    r.baseline.disability = Some(Answer::Yes);
    r.offered = vec![PlacementKind::WorkPractice];
    r.on_leaving = Some(leaving(exit + Duration::days(29), false));
    rows.push(left(r, exit, ExitStatus::JobSeeking));
    // 2: man, 29, inactive, job searching on leaving (day 10): EECR01; six months later asked a
    //    day before the window opens: no EECR05.
    let mut r = row(Man, date!(1995 - 06 - 01), Inactive);
    r.baseline.in_education = Some(Answer::No);
    r.on_leaving = Some(leaving(exit + Duration::days(10), false));
    r.after_six_months = Some(AfterSixMonths {
        done_on: exit + Duration::days(179),
        employed: true,
        improved_situation: false,
        social_assistance: None,
    });
    rows.push(left(r, exit, ExitStatus::JobSeeking));
    // 3: man, 55, employed at entry, ISCED 6, foreign background; improved situation at six
    //    months (last day of the window): EECR05 and EECR06.
    let mut r = row(Man, date!(1970 - 01 - 01), Employed);
    r.baseline.isced_level = Some(6);
    r.baseline.foreign_background = Some(Answer::Yes);
    r.after_six_months = Some(AfterSixMonths {
        done_on: exit + Duration::days(208),
        employed: true,
        improved_situation: true,
        social_assistance: None,
    });
    rows.push(left(r, exit, ExitStatus::SubsidisedWork));
    // 4: non-binary, 40, unemployed, homeless, still enrolled, 125 hours attended.
    let mut r = row(NonBinary, date!(1985 - 03 - 03), Unemployed);
    r.baseline.homeless = Some(Answer::Declined);
    r.attended_by_month = [("2025-02".to_owned(), 125 * 60 + 59)].into();
    r.offered = vec![
        PlacementKind::WorkTraining,
        PlacementKind::RegularEmployment,
    ];
    rows.push(r);
    // 5: woman, 60, unemployed, declined the disability question (still complete).
    let mut r = row(Woman, date!(1965 - 01 - 01), Unemployed);
    r.baseline.disability = Some(Answer::Declined);
    rows.push(r);
    // 6: man, baseline incomplete (no ISCED): counted nowhere but in "incomplete".
    let mut r = row(Man, date!(1990 - 01 - 01), Unemployed);
    r.baseline.isced_level = None;
    r.offered = vec![PlacementKind::WorkTrial];
    rows.push(left(r, exit, ExitStatus::LabourMarketProgramme));
    // 7: woman, no birth date: incomplete.
    let mut r = row(Woman, date!(1990 - 01 - 01), Unemployed);
    r.birth_date = None;
    rows.push(r);
    rows
}

fn count(report: &IndicatorReport, i: Indicator) -> [u64; 4] {
    report.rows.iter().find(|(x, _)| *x == i).unwrap().1.cells()
}

#[test]
fn every_indicator_counts_the_hand_checked_rows() {
    use Indicator::*;
    let r = indicators(&data());
    // [women, men, non-binary, total]
    let expected: &[(Indicator, [u64; 4])] = &[
        (Eeco01, [3, 2, 1, 6]),
        (Eeco02, [2, 0, 1, 3]),
        (Eeco03, [1, 0, 0, 1]),
        (Eeco04, [1, 1, 0, 2]),
        (Eeco05, [0, 1, 0, 1]),
        (Eeco06, [1, 0, 0, 1]),
        (Eeco07, [1, 1, 0, 2]),
        (Eeco08, [1, 1, 0, 2]),
        (Eeco09, [1, 0, 0, 1]),
        (Eeco10, [2, 1, 1, 4]),
        (Eeco11, [0, 1, 0, 1]),
        (Eeco12, [1, 0, 0, 1]),
        (Eeco14, [0, 1, 0, 1]),
        (Eeco16, [0, 0, 0, 0]),
        (Eecr01, [0, 1, 0, 1]),
        (Eecr02, [0, 0, 0, 0]),
        (Eecr03, [1, 0, 0, 1]),
        (Eecr04, [1, 0, 0, 1]),
        (Eecr05, [1, 1, 0, 2]),
        (Eecr06, [0, 1, 0, 1]),
    ];
    assert_eq!(
        expected.len(),
        Indicator::ALL.len(),
        "every indicator is checked"
    );
    for (i, want) in expected {
        assert_eq!(count(&r, *i), *want, "{}", i.code());
    }
    assert_eq!(
        r.incomplete.cells(),
        [1, 1, 0, 2],
        "one man without ISCED, one woman without age"
    );
}

#[test]
fn every_2014_indicator_counts_the_hand_checked_rows() {
    use Indicator2014::*;
    let (counts, incomplete) = count_all(Indicator2014::ALL, Indicator2014::counts, &data());
    let expected: &[(Indicator2014, [u64; 4])] = &[
        (Co01, [2, 0, 1, 3]),
        (Co02, [1, 0, 0, 1]),
        (Co03, [1, 1, 0, 2]),
        (Co04, [1, 1, 0, 2]),
        (Co05, [0, 1, 0, 1]),
        (Co06, [2, 0, 0, 2]),
        (Co07, [1, 1, 0, 2]),
        (Co08, [1, 0, 0, 1]),
        (Co09, [1, 0, 0, 1]),
        (Co10, [2, 1, 1, 4]),
        (Co11, [0, 1, 0, 1]),
        (Co15, [0, 1, 0, 1]),
        (Co16, [1, 0, 0, 1]),
        (Co17, [0, 0, 0, 0]),
        (Cr01, [0, 1, 0, 1]),
        (Cr02, [0, 0, 0, 0]),
        (Cr03, [1, 0, 0, 1]),
        (Cr04, [1, 0, 0, 1]),
        (Cr05, [0, 0, 0, 0]),
        (Cr06, [1, 1, 0, 2]),
        (Cr07, [0, 1, 0, 1]),
        (Cr08, [0, 1, 0, 1]),
        (Cr09, [0, 1, 0, 1]),
    ];
    assert_eq!(
        expected.len(),
        Indicator2014::ALL.len(),
        "every indicator is checked"
    );
    for (i, want) in expected {
        let got = counts.iter().find(|(x, _)| x == i).unwrap().1.cells();
        assert_eq!(got, *want, "{}", i.code());
    }
    assert_eq!(incomplete.cells(), [1, 1, 0, 2]);
    assert_eq!(
        IndicatorSet::for_project_start(date!(2019 - 09 - 01)),
        IndicatorSet::Esf2014
    );
    assert_eq!(
        IndicatorSet::for_project_start(date!(2025 - 08 - 01)),
        IndicatorSet::EsfPlus
    );
}

#[test]
fn the_windows_are_four_weeks_and_180_days_to_the_day() {
    let exit = date!(2025 - 08 - 31);
    assert_eq!(
        six_month_window(exit),
        (date!(2026 - 02 - 27), date!(2026 - 03 - 27)),
        "180 days, then four weeks"
    );
    let mut r = left(
        row(
            Gender::Woman,
            date!(1990 - 01 - 01),
            LabourStatus::Unemployed,
        ),
        exit,
        ExitStatus::Work,
    );
    for (day, counts) in [(0, true), (28, true), (29, false)] {
        r.on_leaving = Some(OnLeaving {
            done_on: exit + Duration::days(day),
            job_searching: false,
            in_education: false,
            gained_qualification: false,
            employed: true,
        });
        assert_eq!(Indicator::Eecr04.counts(&r), counts, "day {day}");
    }
    // Before leaving is not "on leaving".
    r.on_leaving.as_mut().unwrap().done_on = exit - Duration::days(1);
    assert!(!Indicator::Eecr04.counts(&r));
}

#[test]
fn social_assistance_is_compared_before_and_six_months_after() {
    let mut rows = data();
    // Rows 0 and 3 were asked six months after, in the window; row 2 too late.
    for i in [0, 2, 3, 5] {
        rows[i].baseline.social_assistance = Some(Answer::Yes);
    }
    rows[0].after_six_months.as_mut().unwrap().social_assistance = Some(false);
    rows[2].after_six_months.as_mut().unwrap().social_assistance = Some(true);
    rows[3].after_six_months.as_mut().unwrap().social_assistance = Some(true);
    let s = social_assistance(&rows);
    assert_eq!(
        s.at_entry.cells(),
        [2, 2, 0, 4],
        "rows 0 and 5 (women), 2 and 3 (men)"
    );
    assert_eq!(
        s.asked_after.cells(),
        [1, 1, 0, 2],
        "row 2 was asked outside the window"
    );
    assert_eq!(s.still_after.cells(), [0, 1, 0, 1]);
}

#[test]
fn goals_count_shares_and_people_by_gender() {
    let rows = data();
    let trial_training_practice = vec![
        PlacementKind::WorkTrial,
        PlacementKind::WorkTraining,
        PlacementKind::WorkPractice,
    ];
    // En väg in: at least 75 % offered a work trial, work training or work practice.
    let share = GoalDefinition::Share {
        who: Population::Offered {
            kinds: trial_training_practice,
        },
        of: Population::Enrolled,
        percent: 75,
        filter: Default::default(),
    };
    let p = share.evaluate(&rows);
    assert_eq!(p.achieved.cells(), [2, 1, 1, 4], "rows 0, 1, 4 and 6");
    let behind: Vec<usize> = (0..rows.len())
        .filter(|&i| share.counts(&rows[i]))
        .collect();
    assert_eq!(behind, vec![0, 1, 4, 6], "the people behind the number");
    assert_eq!(p.base.total(), 8);
    assert_eq!(p.needed, 6, "75 % of 8, rounded up");
    assert!(!p.met);
    // Vägar till egenförsörjning: leaving for adapted employment or labour-market training.
    let left = GoalDefinition::Count {
        who: Population::Left {
            statuses: vec![
                ExitStatus::SubsidisedWork,
                ExitStatus::LabourMarketProgramme,
            ],
        },
        target: 2,
        filter: Default::default(),
    };
    let p = left.evaluate(&rows);
    assert_eq!(p.achieved.cells(), [0, 2, 0, 2]);
    assert!(p.met);
    let hours = GoalDefinition::Count {
        who: Population::AttendedHours { at_least: 125 },
        target: 1,
        filter: Default::default(),
    };
    assert_eq!(
        hours.evaluate(&rows).achieved.total(),
        1,
        "125 h 59 min is 125 whole hours"
    );
    let enrolled = GoalDefinition::Count {
        who: Population::Enrolled,
        target: 100,
        filter: Default::default(),
    };
    assert_eq!(enrolled.evaluate(&rows).achieved.total(), 8);
    assert!(!enrolled.evaluate(&rows).met);
    // A definition is stored as JSON and read back the same.
    let json = serde_json::to_string(&share).unwrap();
    assert_eq!(
        serde_json::from_str::<GoalDefinition>(&json).unwrap(),
        share
    );
}

#[test]
fn a_goal_can_be_limited_by_gender_age_and_target_group() {
    let rows = data();
    let young = GoalDefinition::Count {
        who: Population::Enrolled,
        target: 2,
        filter: GoalFilter {
            min_age: Some(18),
            max_age: Some(29),
            ..GoalFilter::default()
        },
    };
    // Rows 1 (18 on the day of entry) and 2 (29); row 0 is 17, row 7 has no known age.
    assert_eq!(young.evaluate(&rows).achieved.cells(), [1, 1, 0, 2]);
    assert!(young.evaluate(&rows).met);
    let women_offered = GoalDefinition::Share {
        who: Population::Offered { kinds: vec![] },
        of: Population::Enrolled,
        percent: 50,
        filter: GoalFilter {
            genders: vec![Gender::Woman],
            ..GoalFilter::default()
        },
    };
    let p = women_offered.evaluate(&rows);
    assert_eq!(
        (p.achieved.total(), p.base.total()),
        (2, 4),
        "rows 0 and 1 of 0, 1, 5, 7"
    );
    assert!(p.met);
    let ltu = GoalDefinition::Count {
        who: Population::Enrolled,
        target: 1,
        filter: GoalFilter {
            target_group: Some(TargetGroup::LongTermUnemployed),
            ..GoalFilter::default()
        },
    };
    assert_eq!(ltu.evaluate(&rows).achieved.cells(), [1, 0, 0, 1], "row 0");
    let behind: Vec<usize> = (0..rows.len()).filter(|&i| ltu.counts(&rows[i])).collect();
    assert_eq!(behind, vec![0]);
    // A filter is stored with the definition; an unfiltered one is stored without it.
    let json = serde_json::to_string(&young).unwrap();
    assert!(json.contains("\"min_age\":18"), "{json}");
    assert_eq!(
        serde_json::from_str::<GoalDefinition>(&json).unwrap(),
        young
    );
    let plain = serde_json::to_string(&GoalDefinition::Count {
        who: Population::Enrolled,
        target: 1,
        filter: GoalFilter::default(),
    })
    .unwrap();
    assert!(!plain.contains("filter"), "{plain}");
}

#[test]
fn small_cells_are_suppressed_and_cannot_be_recovered_from_the_total() {
    use Cell::*;
    let s = |parts: &[u64]| suppress(parts, parts.iter().sum());
    // Nothing small: all shown.
    assert_eq!(
        s(&[10, 12, 0]),
        (vec![Shown(10), Shown(12), Shown(0)], Shown(22))
    );
    // One small part: the smallest other non-zero part goes too.
    assert_eq!(
        s(&[3, 12, 7]),
        (vec![Suppressed, Shown(12), Secondary], Shown(22))
    );
    // Two small parts: their sum is known, each is not; nothing more is needed.
    assert_eq!(
        s(&[3, 12, 2]),
        (vec![Suppressed, Shown(12), Suppressed], Shown(17))
    );
    // A small total.
    assert_eq!(
        s(&[3, 0, 1]),
        (vec![Suppressed, Shown(0), Suppressed], Suppressed)
    );
    assert_eq!(
        s(&[4, 0, 0]),
        (vec![Suppressed, Shown(0), Shown(0)], Suppressed)
    );
    // Zero is not a small cell.
    assert_eq!(
        s(&[0, 0, 0]),
        (vec![Shown(0), Shown(0), Shown(0)], Shown(0))
    );
    assert_eq!(Suppressed.to_string(), "<5");
    assert_eq!(Secondary.to_string(), "..");
}

proptest::proptest! {
    /// Whatever the counts, no suppressed part can be worked out from the shown ones and the
    /// total, and no shown cell is between 1 and 4.
    #[test]
    fn no_small_cell_can_be_recovered(parts in proptest::collection::vec(0u64..30, 3)) {
        let total: u64 = parts.iter().sum();
        let (cells, t) = suppress(&parts, total);
        for c in cells.iter().chain(std::iter::once(&t)) {
            if let Cell::Shown(n) = c {
                proptest::prop_assert!(*n == 0 || *n >= MIN_CELL);
            }
        }
        let hidden = cells.iter().filter(|c| !matches!(c, Cell::Shown(_))).count();
        if matches!(t, Cell::Shown(_)) {
            proptest::prop_assert!(hidden != 1, "{:?} {:?}", parts, cells);
        }
    }
}

#[test]
fn a_goal_that_counts_nobody_or_everyone_twice_cannot_be_saved() {
    let share = |percent| GoalDefinition::Share {
        who: Population::Offered { kinds: vec![] },
        of: Population::Enrolled,
        percent,
        filter: GoalFilter::default(),
    };
    assert_eq!(share(75).validate(), vec![]);
    assert_eq!(share(100).validate(), vec![]);
    assert_eq!(share(0).validate(), vec![GoalError::Percent]);
    assert_eq!(share(101).validate(), vec![GoalError::Percent]);
    let count = GoalDefinition::Count {
        who: Population::AttendedHours { at_least: 0 },
        target: 0,
        filter: GoalFilter {
            min_age: Some(30),
            max_age: Some(18),
            ..GoalFilter::default()
        },
    };
    let fields: Vec<_> = count.validate().iter().map(GoalError::field).collect();
    assert_eq!(
        fields,
        [
            "definition.who.at_least",
            "definition.target",
            "definition.filter.max_age"
        ]
    );
    assert!(GoalError::Percent.message("sv").contains("högst 100 %"));
}
