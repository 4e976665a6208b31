using System.Security.Claims;
using System.Security.Principal;

namespace TotService.Authentication;

/// <summary>
/// The principal of a validated KeyService token: exactly one <see cref="CallerIdentity"/>, shared by every request
/// with that token, so it refuses new identities. Lookups go straight to the identity (no per-call predicate or
/// enumerator, which <see cref="ClaimsPrincipal"/>'s defaults allocate).
/// </summary>
public sealed class CallerPrincipal : ClaimsPrincipal
{
    private const string ReadOnlyMessage = "A validated caller principal is shared between requests and cannot be changed.";

    internal CallerPrincipal(CallerIdentity caller) : base(caller) => Caller = caller;

    public CallerIdentity Caller { get; }

    public override IIdentity Identity => Caller;

    public override IEnumerable<Claim> Claims => Caller.Claims;

    public override Claim? FindFirst(string type) => Caller.FindFirst(type);

    public override IEnumerable<Claim> FindAll(string type) => Caller.FindAll(type);

    public override bool HasClaim(string type, string value) => Caller.HasClaim(type, value);

    public override void AddIdentity(ClaimsIdentity identity) => throw new NotSupportedException(ReadOnlyMessage);

    public override void AddIdentities(IEnumerable<ClaimsIdentity> identities) => throw new NotSupportedException(ReadOnlyMessage);
}
