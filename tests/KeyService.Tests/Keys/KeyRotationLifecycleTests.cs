using System.Text.Json;
using KeyService.Keys;
using KeyService.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using KeyService.Tokens;
using Microsoft.IdentityModel.Tokens;

namespace KeyService.Tests.Keys;

/// <summary>The key lifecycle end to end on simulated time: no test sleeps for rotation.</summary>
public sealed class KeyRotationLifecycleTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Propagation = TimeSpan.FromHours(1);
    private static readonly TimeSpan Grace = TimeSpan.FromHours(2);
    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);

    [Fact]
    public async Task First_tick_on_an_empty_store_creates_one_active_key_and_later_ticks_and_replicas_reuse_it()
    {
        var directory = TestSettings.NewDataDirectory();
        var settings = KeyRingTestContext.FastSettings(directory);
        using var first = new KeyRingTestContext(new FakeTimeProvider(Start), settings);

        await first.TickAsync();
        var key = Assert.Single(first.Cache.Current.Ring.Keys);
        Assert.Equal(KeyState.Active, KeyLifecycle.StateAt(first.Cache.Current.Ring.Metadata, key.Metadata, Start));
        Assert.Equal(key.Kid, first.Issue().KeyId);

        await first.TickAsync();
        using var second = new KeyRingTestContext(new FakeTimeProvider(Start), settings);
        await second.TickAsync();

        Assert.Equal(key.Kid, Assert.Single(first.Cache.Current.Ring.Keys).Kid);
        Assert.Equal(key.Kid, Assert.Single(second.Cache.Current.Ring.Keys).Kid);
    }

    [Fact]
    public async Task Next_key_is_in_the_JWKS_one_propagation_time_before_it_signs()
    {
        using var context = new KeyRingTestContext(new FakeTimeProvider(Start), KeyRingTestContext.FastSettings());
        var firstSeenInJwks = new Dictionary<string, DateTimeOffset>();
        var firstSigned = new Dictionary<string, DateTimeOffset>();

        var etag = "";
        // Steps of one check interval, aligned with the background service's ticks.
        for (var now = Start; now < Start + TimeSpan.FromDays(2); now += TimeSpan.FromMinutes(5))
        {
            context.Time.SetUtcNow(now);
            await context.TickAsync();
            if (context.Cache.Current.ETag != etag)
            {
                etag = context.Cache.Current.ETag;
                foreach (var kid in Kids(context.Jwks))
                {
                    firstSeenInJwks.TryAdd(kid, now);
                }
            }
            firstSigned.TryAdd(context.Issue().KeyId, now);
        }

        Assert.True(firstSigned.Count >= 4, $"expected at least 3 rotations, saw {firstSigned.Count} signing keys");
        var initial = firstSigned.MinBy(k => k.Value).Key;
        Assert.Equal(Start, firstSigned[initial]);
        foreach (var (kid, signedAt) in firstSigned.Where(k => k.Key != initial))
        {
            Assert.True(signedAt - firstSeenInJwks[kid] >= Propagation,
                $"key {kid} signed {signedAt - firstSeenInJwks[kid]} after it was published; need {Propagation}");
            // Not needlessly early either: published within one check interval of the propagation time.
            Assert.True(signedAt - firstSeenInJwks[kid] <= Propagation + TimeSpan.FromMinutes(5), $"key {kid} published too early");
        }
    }

    [Fact]
    public async Task Old_key_tokens_validate_through_the_grace_period_and_fail_after_it()
    {
        using var context = new KeyRingTestContext(new FakeTimeProvider(Start), KeyRingTestContext.FastSettings());
        await context.TickAsync();
        var firstKid = context.Issue().KeyId;

        // Run until the first key stops signing, remembering the last token it signed.
        IssuedToken last = context.Issue();
        var lastSignedAt = Start;
        var step = TimeSpan.FromMinutes(1);
        while (true)
        {
            context.Time.Advance(step);
            await context.TickAsync();
            var token = context.Issue();
            if (token.KeyId != firstKid)
            {
                break;
            }
            (last, lastSignedAt) = (token, context.Time.GetUtcNow());
        }

        // Signature checks against the JWKS of the moment (lifetime aside: the key's presence is what is tested).
        var graceEnd = lastSignedAt + Grace;
        while (context.Time.GetUtcNow() < graceEnd)
        {
            var result = await JwksValidator.ValidateAsync(last.AccessToken, context.Jwks, validateLifetime: false);
            Assert.True(result.IsValid, $"old-key token rejected at {context.Time.GetUtcNow() - lastSignedAt} into the grace period: {result.Exception?.Message}");
            context.Time.Advance(step);
            await context.TickAsync();
        }

        context.Time.Advance(TimeSpan.FromMinutes(10));
        await context.TickAsync();
        Assert.DoesNotContain(firstKid, Kids(context.Jwks));
        Assert.False((await JwksValidator.ValidateAsync(last.AccessToken, context.Jwks, validateLifetime: false)).IsValid);
    }

    [Fact]
    public async Task Across_three_rotations_a_validator_refreshing_at_most_once_per_max_age_never_rejects_a_valid_token()
    {
        using var context = new KeyRingTestContext(new FakeTimeProvider(Start), KeyRingTestContext.FastSettings());
        var now = () => context.Time.GetUtcNow();
        // Validators whose cache cycles are out of phase with each other and with the rotation schedule.
        var validators = new[] { 0, 17, 41 }.Select(offset => new CachingValidator(Start + TimeSpan.FromMinutes(offset))).ToList();
        var live = new List<(string Token, DateTimeOffset Expires)>();
        var signingKeys = new HashSet<string>();
        var validations = 0;

        for (var t = Start; t < Start + TimeSpan.FromDays(2); t += TimeSpan.FromMinutes(5))
        {
            context.Time.SetUtcNow(t);
            await context.TickAsync();
            var issued = context.Issue();
            signingKeys.Add(issued.KeyId);
            live.Add((issued.AccessToken, t + TimeSpan.FromMinutes(15)));
            live.RemoveAll(x => x.Expires <= t);

            foreach (var validator in validators)
            {
                validator.MaybeRefresh(t, context.Jwks);
                if (!validator.HasJwks)
                {
                    continue;
                }
                foreach (var (token, _) in live)
                {
                    var result = await JwksValidator.ValidateAsync(token, validator.Keys!, now);
                    Assert.True(result.IsValid, $"valid token rejected at {t:O} by a validator that fetched at {validator.FetchedAt:O}: {result.Exception?.Message}");
                    validations++;
                }
            }
        }

        Assert.True(signingKeys.Count >= 4, $"expected 3 rotations, saw {signingKeys.Count} signing keys");
        Assert.True(validations > 2000);
    }

    private static List<string> Kids(string jwks) =>
        [.. JsonDocument.Parse(jwks).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!)];

    /// <summary>Honours Cache-Control max-age and nothing more: no refresh on an unknown kid.</summary>
    private sealed class CachingValidator(DateTimeOffset firstFetch)
    {
        public IList<SecurityKey>? Keys { get; private set; }

        public DateTimeOffset FetchedAt { get; private set; }

        public bool HasJwks => Keys is not null;

        public void MaybeRefresh(DateTimeOffset now, string currentJwks)
        {
            if ((Keys is null && now >= firstFetch) || (Keys is not null && now - FetchedAt >= MaxAge))
            {
                (Keys, FetchedAt) = (new JsonWebKeySet(currentJwks).GetSigningKeys(), now);
            }
        }
    }
}
