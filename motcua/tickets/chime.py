"""The board's chime (``static/tickets/chime.wav``), written by this code rather than copied:
two decaying tones, "ding-dong", played before each call (and instead of the voice where the
browser has no Vietnamese one). ``python -m motcua.tickets.chime`` writes the file again; a
test holds the file equal to what this writes."""

import io
import math
import struct
import wave
from pathlib import Path

RATE = 22050
TONES = ((880.0, 0.45), (659.25, 0.65))  # A5 then E5, seconds
PATH = Path(__file__).parent / "static" / "tickets" / "chime.wav"


def chime_wav() -> bytes:
    frames = bytearray()
    for frequency, seconds in TONES:
        count = int(RATE * seconds)
        for i in range(count):
            t = i / RATE
            envelope = math.exp(-4.0 * t / seconds) * min(1.0, i / 200)  # soft attack
            sample = envelope * (
                0.7 * math.sin(2 * math.pi * frequency * t)
                + 0.2 * math.sin(2 * math.pi * 2 * frequency * t)
            )
            frames += struct.pack("<h", int(max(-1.0, min(1.0, sample)) * 20000))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(bytes(frames))
    return out.getvalue()


if __name__ == "__main__":
    PATH.write_bytes(chime_wav())
    print(PATH)
