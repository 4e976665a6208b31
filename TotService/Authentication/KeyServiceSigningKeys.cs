using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace TotService.Authentication;

/// <summary>
/// JwtBearer's configuration manager for KeyService's signing keys. A token with an unknown <c>kid</c> makes the
/// validator call <see cref="RequestRefresh"/>, and the base class then queues a fetch on the thread pool without
/// saying whether it did; on a busy machine that fetch can start long after the request has given up looking for it.
/// This override applies the base class's limit first, so it knows, and tells <see cref="KeyServiceJwksRetriever"/>
/// that a fetch is on its way before the base class queues it.
/// </summary>
public sealed class KeyServiceSigningKeys(KeyServiceJwksRetriever retriever)
    : ConfigurationManager<OpenIdConnectConfiguration>(retriever.JwksUri.ToString(), retriever)
{
    private readonly Lock _gate = new();
    private long _nextAllowedTicks = long.MinValue;

    public override void RequestRefresh()
    {
        // The base class's rule on the base class's clock (DateTimeOffset.UtcNow): one forced fetch per
        // RefreshInterval. The next allowed time is read after the base call, so whenever this rule lets a request
        // through, the base class's rule does too, and no fetch is announced that will not come.
        if (DateTimeOffset.UtcNow.UtcTicks < Volatile.Read(ref _nextAllowedTicks))
        {
            return;
        }
        lock (_gate)
        {
            if (DateTimeOffset.UtcNow.UtcTicks < _nextAllowedTicks)
            {
                return;
            }
            retriever.FetchRequested();
            base.RequestRefresh();
            var now = DateTimeOffset.UtcNow.UtcTicks;
            Volatile.Write(ref _nextAllowedTicks, RefreshInterval.Ticks > DateTimeOffset.MaxValue.UtcTicks - now
                ? long.MaxValue
                : now + RefreshInterval.Ticks);
        }
    }
}
