namespace KeyService.Keys;

/// <summary>Lifecycle of a signing key: published (in JWKS, not signing) → active (signing) → retired (in JWKS only) → removed.</summary>
public enum KeyState
{
    Published,
    Active,
    Retired,
}
