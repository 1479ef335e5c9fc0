//! Referrals (remisser) between organisations: the organisation holding the case asks another
//! (the employment service, psychiatry, SFI …) to take part, relying on the participant's consent.

crate::code_list!(
    /// Where a referral stands.
    ReferralStatus, "referral status" {
        Sent => "sent", "Skickad", "Sent";
        Accepted => "accepted", "Accepterad", "Accepted";
        Declined => "declined", "Avböjd", "Declined";
        Closed => "closed", "Avslutad", "Closed";
    }
);

/// Which side of a referral acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Sender,
    Recipient,
}

impl ReferralStatus {
    /// Whether `side` may move a referral from this status to `to`: the recipient answers a sent
    /// referral; the sender withdraws one not yet answered; either closes an accepted one.
    /// Declined and closed are final.
    pub fn may_move(self, to: ReferralStatus, side: Side) -> bool {
        use ReferralStatus::*;
        matches!(
            (self, to, side),
            (Sent, Accepted | Declined, Side::Recipient)
                | (Sent, Closed, Side::Sender)
                | (Accepted, Closed, _)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::ReferralStatus::*;
    use super::*;

    #[test]
    fn the_recipient_answers_and_either_side_closes() {
        assert!(Sent.may_move(Accepted, Side::Recipient));
        assert!(
            !Sent.may_move(Accepted, Side::Sender),
            "one does not accept one's own"
        );
        assert!(Sent.may_move(Closed, Side::Sender), "withdrawn");
        assert!(!Sent.may_move(Closed, Side::Recipient), "answer it instead");
        assert!(Accepted.may_move(Closed, Side::Recipient));
        for side in [Side::Sender, Side::Recipient] {
            for to in ReferralStatus::ALL {
                assert!(!Declined.may_move(*to, side) && !Closed.may_move(*to, side));
                assert!(!to.may_move(Sent, side), "nothing goes back to sent");
            }
        }
    }
}
