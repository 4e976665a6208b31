using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// A certificate authority made for one test run: KeyService's processes trust it through <c>SSL_CERT_FILE</c> (read by
/// .NET's certificate store on Linux beside the system's), and it issues a certificate for <c>127.0.0.1</c> to a test
/// site, so the services reach an https site on loopback with nothing installed on the machine.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _root;
    private readonly DirectoryInfo _folder;

    private TestCertificateAuthority(X509Certificate2 root, DirectoryInfo folder, string trustFile)
    {
        _root = root;
        _folder = folder;
        TrustFile = trustFile;
    }

    /// <summary>The authority's certificate (PEM), for <c>SSL_CERT_FILE</c>.</summary>
    public string TrustFile { get; }

    public static TestCertificateAuthority Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=ToT end-to-end test authority", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var folder = Directory.CreateTempSubdirectory("tot-e2e-ca-");
        var trustFile = Path.Combine(folder.FullName, "authority.pem");
        File.WriteAllText(trustFile, root.ExportCertificatePem());
        return new TestCertificateAuthority(root, folder, trustFile);
    }

    /// <summary>A server certificate for <c>127.0.0.1</c> and <c>localhost</c>, with its private key.</summary>
    public X509Certificate2 IssueForLoopback()
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var issued = request.Create(_root, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose()
    {
        _root.Dispose();
        _folder.Delete(recursive: true);
    }
}
