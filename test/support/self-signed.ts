/**
 * A self-signed certificate (CN=cairn-test, valid until 2126) and its key, for tests of HTTPS health checks,
 * which must not verify certificates. Test-only: the key protects nothing.
 */
export const SELF_SIGNED = {
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgMtKruq4eMD+NyfEH
eRYhOcd581UPKZt33swYLcK3kfqhRANCAAR1mG87ABT7LbMKREjOAevbg1JNoQ64
E3CgLIZqeOotpLvKcT1XElMm6tTn5RkGGAskt8Emis/cnStxBcauy3kn
-----END PRIVATE KEY-----
`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBgTCCASegAwIBAgIUTTc94qPvJS0iy+jHAf6+It5mNY8wCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKY2Fpcm4tdGVzdDAgFw0yNjExMjQwOTExNDZaGA8yMTI2MTAz
MTA5MTE0NlowFTETMBEGA1UEAwwKY2Fpcm4tdGVzdDBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABHWYbzsAFPstswpESM4B69uDUk2hDrgTcKAshmp46i2ku8pxPVcS
Uybq1OflGQYYCyS3wSaKz9ydK3EFxq7LeSejUzBRMB0GA1UdDgQWBBQWvRzuicHS
wgqu5LVwJ2oeocZ3qzAfBgNVHSMEGDAWgBQWvRzuicHSwgqu5LVwJ2oeocZ3qzAP
BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDi+sxOyW4PkDTqrnXo
Ec/1TrlTNBawdQTasxGvX8i6hwIga1gdV0opUMuyQIJYoeZjI/opQbwXMH7qNDv+
2ywW24w=
-----END CERTIFICATE-----
`,
};
