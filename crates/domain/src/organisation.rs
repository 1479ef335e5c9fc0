//! Organisations: project owners, partner agencies and employers.

crate::code_list!(
    /// What kind of body an organisation is.
    OrganisationKind, "organisation kind" {
        MunicipalityUnit => "municipality_unit", "Kommunal förvaltning", "Municipal unit";
        Region => "region", "Region", "Region";
        Ngo => "ngo", "Ideell organisation", "NGO";
        StateAgency => "state_agency", "Statlig myndighet", "State agency";
        Employer => "employer", "Arbetsgivare", "Employer";
        SocialEnterprise => "social_enterprise", "Socialt företag", "Social enterprise";
    }
);
