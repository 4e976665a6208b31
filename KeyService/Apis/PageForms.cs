using KeyService.Authorization;
using Microsoft.AspNetCore.Antiforgery;

namespace KeyService.Apis;

/// <summary>A form posted from one of KeyService's pages: form content, within its size limit, with a valid anti-forgery token.</summary>
public static class PageForms
{
    /// <param name="page">The page the form belongs on, for the person's error message ("the sign-in page").</param>
    /// <returns>The form, or the error page to answer with.</returns>
    public static async Task<(IFormCollection? Form, IResult? Refusal)> ReadAsync(
        HttpContext context, IAntiforgery antiforgery, string page, CancellationToken cancellationToken)
    {
        if (!context.Request.HasFormContentType)
        {
            return (null, AuthorizationPages.Error(context, $"Send the form from {page}."));
        }
        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            return (null, AuthorizationPages.Error(context, "The form is malformed or too large."));
        }
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return (null, AuthorizationPages.Error(context, $"The form did not come from {page}, or it expired. Start again from your application."));
        }
        return (form, null);
    }
}
