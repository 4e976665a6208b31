using System.Text;
using System.Xml.Linq;
using KeyService.Keys;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace KeyService.Storage;

/// <summary>
/// Encrypts ASP.NET Core Data Protection keys (which protect the sign-in cookie and anti-forgery tokens) with the
/// key-encryption key, like the signing keys: what Redis holds is an AES-256-GCM envelope, useless without it.
/// </summary>
public sealed class KeyEncryptionKeyXmlEncryptor(KeyProtector protector) : IXmlEncryptor
{
    internal static readonly byte[] Purpose = Encoding.UTF8.GetBytes("keyservice/v1/data-protection-key");

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var envelope = protector.Seal(Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting)), Purpose);
        return new EncryptedXmlInfo(new XElement("encryptedKey", new XElement("value", Convert.ToBase64String(envelope))),
            typeof(KeyEncryptionKeyXmlDecryptor));
    }
}

/// <summary>Opens what <see cref="KeyEncryptionKeyXmlEncryptor"/> sealed (activated by Data Protection with the services).</summary>
public sealed class KeyEncryptionKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var envelope = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? "");
        var plaintext = services.GetRequiredService<KeyProtector>().Open(envelope, KeyEncryptionKeyXmlEncryptor.Purpose);
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
