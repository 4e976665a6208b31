using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using KeyService.Keys;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bench.Micro;

/// <summary>
/// Token signing as KeyService's AccessTokenIssuer does it and validation with TotService's parameters, each beside
/// the raw RSA operation it cannot beat (the baseline).
/// </summary>
[MemoryDiagnoser]
public class TokenBenchmarks
{
    private const string Issuer = "http://localhost:5101";
    private const string Audience = "http://localhost:5102/mcp";
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false, MapInboundClaims = false };
    private RingKey _key = null!;
    private TokenValidationParameters _parameters = null!;
    private string _token = "";
    private byte[] _signingInput = [];
    private byte[] _signature = [];

    [GlobalSetup]
    public void Setup()
    {
        _key = TestKeys.Ring(1).Keys[0];
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = ["at+jwt"],
            ClockSkew = TimeSpan.FromSeconds(30),
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            TryAllIssuerSigningKeys = false,
            IssuerSigningKeys = [_key.PublicKey],
        };
        _token = Sign();
        _signingInput = Encoding.ASCII.GetBytes(_token[.._token.LastIndexOf('.')]);
        _signature = Base64UrlEncoder.DecodeBytes(_token[(_token.LastIndexOf('.') + 1)..]);
    }

    [Benchmark(Description = "Sign: JsonWebTokenHandler.CreateToken (RS256, at+jwt)")]
    public string Sign()
    {
        var now = DateTime.UtcNow;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "at+jwt",
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(15),
            SigningCredentials = _key.SigningCredentials,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = "dev",
                ["client_id"] = "dev",
                ["scope"] = "tot:read tot:write",
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
        });
    }

    [Benchmark(Description = "Baseline: raw RSA-2048 PKCS#1 SHA-256 sign")]
    public byte[] RawSign() => _key.Rsa.SignData(_signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark(Description = "Validate: JsonWebTokenHandler.ValidateTokenAsync (TotService's parameters)")]
    public async Task<bool> Validate() => (await _handler.ValidateTokenAsync(_token, _parameters)).IsValid;

    [Benchmark(Description = "Baseline: raw RSA-2048 PKCS#1 SHA-256 verify")]
    public bool RawVerify() => _key.Rsa.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
}
