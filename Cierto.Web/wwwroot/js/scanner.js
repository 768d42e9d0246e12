// The label scanner: the rear camera in a <video>, read for a QR code a few times a second with
// the browser's BarcodeDetector where it has one, else with jsQR (served from /lib/jsqr, loaded
// only when needed). The camera is released when the scanner closes, when the page is hidden and
// when the component goes away.
let stream = null;
let timer = null;
let detector = null;
let canvas = null;
let onHidden = null;

async function loadJsQr() {
    if (window.jsQR) {
        return window.jsQR;
    }
    await new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = '/lib/jsqr/jsQR.js';
        script.onload = resolve;
        script.onerror = () => reject(new Error('jsQR could not be loaded'));
        document.head.appendChild(script);
    });
    return window.jsQR;
}

async function makeDetector() {
    if ('BarcodeDetector' in window) {
        try {
            const formats = await window.BarcodeDetector.getSupportedFormats();
            if (formats.includes('qr_code')) {
                const native = new window.BarcodeDetector({ formats: ['qr_code'] });
                return async video => (await native.detect(video))[0]?.rawValue ?? null;
            }
        } catch {
            // fall through to jsQR
        }
    }
    const jsQR = await loadJsQr();
    canvas = canvas ?? document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });
    return async video => {
        const width = video.videoWidth, height = video.videoHeight;
        if (!width || !height) {
            return null;
        }
        canvas.width = width;
        canvas.height = height;
        context.drawImage(video, 0, 0, width, height);
        const found = jsQR(context.getImageData(0, 0, width, height).data, width, height, { inversionAttempts: 'dontInvert' });
        return found?.data ?? null;
    };
}

/** Opens the camera into the video element and reads until a code is found; returns { ok, torch, reason, engine }. */
export async function start(video, listener) {
    stop();
    if (!navigator.mediaDevices?.getUserMedia) {
        return { ok: false, reason: 'unsupported' };
    }
    try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false });
    } catch (error) {
        stream = null;
        const reason = error?.name === 'NotAllowedError' || error?.name === 'SecurityError' ? 'denied'
            : error?.name === 'NotFoundError' || error?.name === 'OverconstrainedError' ? 'no-camera'
            : 'error';
        return { ok: false, reason };
    }

    video.srcObject = stream;
    video.setAttribute('playsinline', '');
    video.muted = true;
    try {
        await video.play();
    } catch {
        // autoplay of a muted inline video is allowed; a refusal still shows frames once playing
    }

    detector = await makeDetector();
    const engine = 'BarcodeDetector' in window && !canvas ? 'BarcodeDetector' : 'jsQR';
    let reading = false;
    timer = setInterval(async () => {
        if (reading || !stream) {
            return;
        }
        reading = true;
        try {
            const text = await detector(video);
            if (text && stream) {
                stop();
                await listener.invokeMethodAsync('OnDetected', text);
            }
        } catch {
            // a frame that cannot be read: try the next one
        } finally {
            reading = false;
        }
    }, 150);

    onHidden = () => {
        if (document.visibilityState === 'hidden' && stream) {
            stop();
            listener.invokeMethodAsync('OnStopped').catch(() => { });
        }
    };
    document.addEventListener('visibilitychange', onHidden);

    const track = stream.getVideoTracks()[0];
    const torch = !!(track?.getCapabilities && track.getCapabilities().torch);
    return { ok: true, torch, engine };
}

/** Switches the phone's torch (where the camera has one). */
export async function torch(on) {
    const track = stream?.getVideoTracks()[0];
    if (!track) {
        return false;
    }
    try {
        await track.applyConstraints({ advanced: [{ torch: !!on }] });
        return true;
    } catch {
        return false;
    }
}

/** Releases the camera. */
export function stop() {
    if (timer) {
        clearInterval(timer);
        timer = null;
    }
    if (onHidden) {
        document.removeEventListener('visibilitychange', onHidden);
        onHidden = null;
    }
    if (stream) {
        stream.getTracks().forEach(track => track.stop());
        stream = null;
    }
}

/** Whether the camera is open (tests and the component ask). */
export function active() {
    return !!stream && stream.getVideoTracks().some(track => track.readyState === 'live');
}
