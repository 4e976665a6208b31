// Reads a client secret on standard input and prints the hash KeyService verifies
// (PBKDF2-SHA256$<iterations>$<base64 salt>$<base64 hash>, as KeyService.Tokens.ClientSecretHasher writes it).
// The secret comes on stdin so it never shows in a process list: deploy.sh pipes it in.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

const int Iterations = 100_000;
var secret = Console.In.ReadToEnd().TrimEnd('\r', '\n');
if (secret.Length < 16)
{
    Console.Error.WriteLine("hash-client-secret: expected a secret of at least 16 characters on standard input.");
    return 2;
}
var salt = RandomNumberGenerator.GetBytes(16);
var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, Iterations, HashAlgorithmName.SHA256, 32);
Console.WriteLine(string.Join('$', "PBKDF2-SHA256", Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash)));
return 0;
