using System.Text.Json;
using Microsoft.Playwright;
using ZXing;
using ZXing.Common;

namespace Cierto.Tests.Browser;

/// <summary>
/// Reads a QR code the way a phone camera would: the browser paints the label's SVG onto a
/// canvas (with a white quiet zone) and ZXing decodes the pixels.
/// </summary>
public static class QrCodes
{
    private const string PaintScript = """
        async (element) => {
            const svg = element.querySelector('svg');
            const markup = new XMLSerializer().serializeToString(svg);
            const image = new Image();
            image.src = 'data:image/svg+xml;base64,' + btoa(unescape(encodeURIComponent(markup)));
            await image.decode();
            const scale = 4, margin = 40;
            const width = image.width * scale + 2 * margin, height = image.height * scale + 2 * margin;
            const canvas = document.createElement('canvas');
            canvas.width = width;
            canvas.height = height;
            const context = canvas.getContext('2d');
            context.fillStyle = '#fff';
            context.fillRect(0, 0, width, height);
            context.imageSmoothingEnabled = false;
            context.drawImage(image, margin, margin, image.width * scale, image.height * scale);
            const pixels = context.getImageData(0, 0, width, height).data;
            let binary = '';
            for (let i = 0; i < pixels.length; i += 0x8000) {
                binary += String.fromCharCode.apply(null, pixels.subarray(i, i + 0x8000));
            }
            return { width, height, rgba: btoa(binary) };
        }
        """;

    public static async Task<string> ReadAsync(ILocator qrCode)
    {
        ArgumentNullException.ThrowIfNull(qrCode);
        var painted = await qrCode.EvaluateAsync<JsonElement>(PaintScript);
        var width = painted.GetProperty("width").GetInt32();
        var height = painted.GetProperty("height").GetInt32();
        var rgba = Convert.FromBase64String(painted.GetProperty("rgba").GetString()!);
        var source = new RGBLuminanceSource(rgba, width, height, RGBLuminanceSource.BitmapFormat.RGBA32);
        var reader = new BarcodeReaderGeneric { Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], TryHarder = true } };
        var result = reader.Decode(source);
        Assert.True(result is not null, "The label's QR code could not be decoded.");
        return result.Text;
    }
}
