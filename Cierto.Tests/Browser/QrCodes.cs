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

    /// <summary>The label's QR code as the browser paints it: RGBA pixels with a white quiet zone.</summary>
    public static async Task<(int Width, int Height, byte[] Rgba)> PaintAsync(ILocator qrCode)
    {
        ArgumentNullException.ThrowIfNull(qrCode);
        var painted = await qrCode.EvaluateAsync<JsonElement>(PaintScript);
        return (painted.GetProperty("width").GetInt32(), painted.GetProperty("height").GetInt32(), Convert.FromBase64String(painted.GetProperty("rgba").GetString()!));
    }

    public static async Task<string> ReadAsync(ILocator qrCode)
    {
        var (width, height, rgba) = await PaintAsync(qrCode);
        var source = new RGBLuminanceSource(rgba, width, height, RGBLuminanceSource.BitmapFormat.RGBA32);
        var reader = new BarcodeReaderGeneric { Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], TryHarder = true } };
        var result = reader.Decode(source);
        Assert.True(result is not null, "The label's QR code could not be decoded.");
        return result.Text;
    }
}

/// <summary>
/// A camera for Chromium's <c>--use-file-for-fake-video-capture</c>: a Y4M video (4:2:0) of a still
/// picture — the label's QR code, centred on white — that Chromium plays in a loop as the camera.
/// </summary>
public static class FakeCamera
{
    public const int Width = 640;
    public const int Height = 480;

    public static void WriteY4m(string path, int width, int height, byte[] rgba, int frames = 10)
    {
        ArgumentNullException.ThrowIfNull(rgba);
        var luma = new byte[Width * Height];
        Array.Fill(luma, (byte)235);
        var scale = Math.Min(1.0, Math.Min((Width - 40) / (double)width, (Height - 40) / (double)height));
        var (w, h) = ((int)(width * scale), (int)(height * scale));
        var (left, top) = ((Width - w) / 2, (Height - h) / 2);
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var i = ((int)(y / scale) * width + (int)(x / scale)) * 4;
                var grey = (0.299 * rgba[i]) + (0.587 * rgba[i + 1]) + (0.114 * rgba[i + 2]);
                luma[((top + y) * Width) + left + x] = (byte)(16 + (grey * 219 / 255));
            }
        }

        var chroma = new byte[Width / 2 * (Height / 2)];
        Array.Fill(chroma, (byte)128);
        using var file = File.Create(path);
        file.Write(System.Text.Encoding.ASCII.GetBytes($"YUV4MPEG2 W{Width} H{Height} F10:1 Ip A1:1 C420jpeg\n"));
        for (var f = 0; f < frames; f++)
        {
            file.Write("FRAME\n"u8);
            file.Write(luma);
            file.Write(chroma);
            file.Write(chroma);
        }
    }
}
