//! Placements (praktik, arbetsträning, arbetsprövning, employment with support): a participant at
//! a workplace, with a supervisor. "Offered" is kept even when declined, because the seeds' goals
//! count offers ("at least 75 % offered a work trial, work training or work practice").

crate::code_list!(
    /// The kind of placement.
    PlacementKind, "placement kind" {
        WorkPractice => "work_practice", "Praktik", "Work practice";
        WorkTraining => "work_training", "Arbetsträning", "Work training";
        WorkTrial => "work_trial", "Arbetsprövning", "Work trial";
        SubsidisedEmployment => "subsidised_employment", "Anställning med stöd", "Subsidised employment";
        AdaptedEmployment => "adapted_employment", "Anpassad anställning", "Adapted employment";
        RegularEmployment => "regular_employment", "Anställning", "Regular employment";
        SupportedEmployment => "supported_employment", "Supported employment (IPS)", "Supported employment (IPS)";
    }
);

crate::code_list!(
    /// Where a placement stands.
    PlacementStatus, "placement status" {
        Offered => "offered", "Erbjuden", "Offered";
        Accepted => "accepted", "Tackat ja", "Accepted";
        Declined => "declined", "Tackat nej", "Declined";
        Started => "started", "Påbörjad", "Started";
        Ended => "ended", "Avslutad", "Ended";
    }
);

impl PlacementKind {
    /// The kinds the seeds' offer goals count (work trial, work training, work practice).
    pub fn counts_as_work_placement_offer(self) -> bool {
        matches!(
            self,
            Self::WorkPractice | Self::WorkTraining | Self::WorkTrial
        )
    }
}

impl PlacementStatus {
    /// The statuses a placement may move to from this one. Declined and ended are final; an
    /// offer can be declined or accepted, and a placement can end before it starts (withdrawn).
    pub fn next(self) -> &'static [PlacementStatus] {
        use PlacementStatus::*;
        match self {
            Offered => &[Accepted, Declined],
            Accepted => &[Started, Ended],
            Started => &[Ended],
            Declined | Ended => &[],
        }
    }

    pub fn can_move_to(self, to: PlacementStatus) -> bool {
        self.next().contains(&to)
    }

    /// A supervisor confirms attendance only while the placement runs.
    pub fn is_running(self) -> bool {
        self == Self::Started
    }
}

/// Most hours a week a placement may have.
pub const MAX_HOURS_PER_WEEK: u32 = 60;

#[cfg(test)]
mod tests {
    use super::PlacementStatus::*;
    use super::*;

    #[test]
    fn an_offer_moves_forward_only() {
        assert!(Offered.can_move_to(Declined));
        assert!(Offered.can_move_to(Accepted));
        assert!(!Offered.can_move_to(Started), "accept first");
        assert!(Accepted.can_move_to(Started));
        assert!(Started.can_move_to(Ended));
        for s in PlacementStatus::ALL {
            assert!(!s.can_move_to(Offered), "nothing goes back to offered");
            assert!(!s.can_move_to(*s), "no move to the same status");
        }
        assert!(Declined.next().is_empty() && Ended.next().is_empty());
    }

    #[test]
    fn offers_the_seed_goals_count() {
        let counted: Vec<_> = PlacementKind::ALL
            .iter()
            .filter(|k| k.counts_as_work_placement_offer())
            .collect();
        assert_eq!(counted.len(), 3);
    }
}
