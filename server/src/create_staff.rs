//! `bank-portal create-staff`: the first administrator of the operators' console (usually the
//! union's), created on the server itself; every later member is added in the console by an
//! administrator of their institution. Prints the issued password and the authenticator
//! secret once, to the operator's terminal (never to the log).

use domain::ops::{totp, NewStaff, Ops, Role};

/// `--institution P000 --login p000.admin --name 孙立新 [--roles admin,editor]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffArgs {
    pub institution: String,
    pub login: String,
    pub name: String,
    pub roles: Vec<Role>,
}

impl StaffArgs {
    /// From the arguments after `create-staff`. The institution defaults to the union and the
    /// roles to administrator.
    pub fn parse(args: &[String]) -> Result<StaffArgs, String> {
        let mut out = StaffArgs {
            institution: domain::institution::PROVINCE_CODE.into(),
            login: String::new(),
            name: String::new(),
            roles: vec![Role::Admin],
        };
        let mut rest = args.iter();
        while let Some(flag) = rest.next() {
            let value = rest
                .next()
                .ok_or_else(|| format!("{flag} needs a value"))?
                .clone();
            match flag.as_str() {
                "--institution" => out.institution = value,
                "--login" => out.login = value,
                "--name" => out.name = value,
                "--roles" => {
                    out.roles = value
                        .split(',')
                        .map(|r| Role::parse(r.trim()).ok_or_else(|| format!("unknown role {r:?}")))
                        .collect::<Result<_, _>>()?
                }
                other => return Err(format!("unknown option {other:?}")),
            }
        }
        if out.login.is_empty() || out.name.is_empty() {
            return Err(
                "usage: bank-portal create-staff --login LOGIN --name NAME [--institution P000] [--roles admin,editor]"
                    .into(),
            );
        }
        Ok(out)
    }
}

/// Creates the member and prints what they sign in with.
pub async fn run(ops: &Ops<'_>, args: &StaffArgs) -> domain::Result<()> {
    let issued = ops
        .create_staff(
            None,
            NewStaff {
                institution: &args.institution,
                login: &args.login,
                name: &args.name,
                roles: &args.roles,
            },
        )
        .await?;
    println!(
        "staff member created: {} ({})",
        issued.login, args.institution
    );
    println!(
        "issued password (to be changed at the first sign-in): {}",
        issued.password
    );
    println!(
        "authenticator secret: {}",
        totp::base32(&issued.totp_secret)
    );
    println!(
        "authenticator address (for a QR code): {}",
        totp::provisioning_uri("农商银行运营", &issued.login, &issued.totp_secret)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn parses_options_with_the_union_administrator_as_default() {
        let a = StaffArgs::parse(&args(&["--login", "p000.root", "--name", "孙立新"])).unwrap();
        assert_eq!(a.institution, "P000");
        assert_eq!(a.roles, vec![Role::Admin]);
        let a = StaffArgs::parse(&args(&[
            "--institution",
            "B001",
            "--login",
            "b001.x",
            "--name",
            "赵敏",
            "--roles",
            "editor, approver",
        ]))
        .unwrap();
        assert_eq!(
            (a.institution.as_str(), a.roles),
            ("B001", vec![Role::Editor, Role::Approver])
        );
        assert!(StaffArgs::parse(&args(&["--login", "x"])).is_err());
        assert!(StaffArgs::parse(&args(&["--login"])).is_err());
        assert!(
            StaffArgs::parse(&args(&["--login", "a", "--name", "b", "--roles", "boss"])).is_err()
        );
        assert!(StaffArgs::parse(&args(&["--colour", "red"])).is_err());
    }
}
