"""Citizens' own accounts (SPEC §3): sign-up and log-in by a one-time code sent to a phone or
an e-mail address, or a password, or an OpenID Connect provider (VNeID); the profile that
pre-fills their forms; "my dossiers". A citizen's account is never a staff account."""
