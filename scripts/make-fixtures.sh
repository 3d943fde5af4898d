#!/usr/bin/env bash
# Generates the audio fixtures into tests/fixtures/generated/ (git-ignored).
# Idempotent: skips everything when the stamp matches FIXTURES_VERSION and every file exists.
# Bump FIXTURES_VERSION whenever a recipe below changes.
#
# Decisions worth knowing:
# - chrome.webm carries ~1.5 s of near-silence (room noise at -62 dBFS) before and after the
#   speech: it is the fixture for silence trimming.
# - Chrome-style WebM is written by ffmpeg to a pipe, so it has no Duration and no Cues
#   (checked below with ffprobe), like MediaRecorder with a timeslice. Mono Opus at 48 kb/s, about
#   what libopus picks for 48 kHz mono when the page sets no audioBitsPerSecond.
# - too-long.webm is 310 s (longer than the default MAX_DURATION_SECONDS=300), made cheaply
#   from a looped sentence at 12 kb/s, so tests can use the real default limit.
set -euo pipefail

FIXTURES_VERSION=7
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/tests/fixtures/generated"
FILES=(chrome.webm firefox.ogg safari.mp4 phone.m4a speech.mp3 speech.wav speech.flac
  quiet.wav loud.wav long-60s.webm too-long.webm too-short.wav silent.webm near-silent.wav
  truncated.webm corrupt.mp3 empty.bin image.png playlist.m3u text.txt video-with-audio.mp4
  fake-wav.wav speech-16k.wav
  stereo-inverted.wav left-mic.m4a right-mic.wav
  whatsapp.opus telegram.oga android.amr android.3gp voice-memo-alac.m4a ios.caf
  phone-mulaw.wav phone-alaw.wav float32.wav hires-96k.wav hires-96k.flac
  dc-offset.wav mains-hum.wav tone-burst.wav long-pause.wav soft-start.wav mostly-silence.wav
  loud-then-quiet.wav laugh-then-speech.wav android-amr.3gp garageband.aiff breaths-only.wav)

complete() {
  [[ "$(cat "$OUT/.version" 2>/dev/null)" == "$FIXTURES_VERSION" ]] || return 1
  local f
  for f in "${FILES[@]}"; do [[ -e "$OUT/$f" ]] || return 1; done
}

for tool in ffmpeg ffprobe espeak-ng sox flock openssl; do
  command -v "$tool" >/dev/null || { echo "make-fixtures: $tool missing (apt-get install -y ffmpeg espeak-ng sox libopencore-amrnb0 util-linux openssl)" >&2; exit 1; }
done

mkdir -p "$OUT"
complete && exit 0
# Parallel jest workers may call this at once: one generates, the others wait and then skip.
exec 9>"$OUT/.lock"
flock 9
complete && exit 0

echo "make-fixtures: generating audio fixtures (v$FIXTURES_VERSION) in $OUT" >&2
WORK="$(mktemp -d "$OUT/.work.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }
# Integrated loudness (LUFS) of a file, from ebur128's summary.
lufs() { ffmpeg -nostdin -hide_banner -nostats -i "$1" -af ebur128 -f null - 2>&1 | awk '/^ +I:/ { v = $2 } END { print v }'; }

# --- speech sources: espeak-ng, 22.05 kHz mono; taken down 6 dB so peaks are not at full scale
espeak-ng -v de -s 150 -w de-raw.wav \
  "Hallo, hier ist Anna aus Leipzig. Die letzte Folge über Stadtgärten hat mir sehr gut gefallen, vielen Dank dafür."
espeak-ng -v en -s 160 -w en-raw.wav \
  "Hi, this is Sam from Bristol. Thank you for the episode about night trains, I have a question for your next show."
ff -i de-raw.wav -af "aresample=48000,volume=-6dB" -c:a pcm_f32le de.wav
ff -i en-raw.wav -af "aresample=48000,volume=-6dB" -c:a pcm_f32le en.wav
# German speech with 1.5 s before and after, over quiet room noise.
ff -i de.wav -f lavfi -i "anoisesrc=color=pink:amplitude=0.0008:seed=7:sample_rate=48000" \
  -filter_complex "[0:a]adelay=1500,apad=pad_dur=1.5[s];[s][1:a]amix=inputs=2:duration=first:normalize=0" \
  -c:a pcm_f32le de-padded.wav
ff -i de.wav -i en.wav -filter_complex "[0:a][1:a]concat=n=2:v=0:a=1" -c:a pcm_f32le both.wav

# --- what browsers and phones produce
ff -i de-padded.wav -c:a libopus -b:a 48k -f webm pipe:1 > chrome.webm
ff -i en.wav -c:a libopus -b:a 32k firefox.ogg
# Safari's MediaRecorder writes fragmented MP4.
ff -i en.wav -ac 1 -ar 48000 -c:a aac -b:a 64k -movflags frag_keyframe+empty_moov+default_base_moof -f mp4 safari.mp4
ff -i de.wav -ac 2 -ar 44100 -c:a aac -b:a 96k -f ipod phone.m4a
ff -i both.wav -c:a libmp3lame -b:a 64k speech.mp3
ff -i en.wav -c:a pcm_s16le speech.wav
ff -i de.wav -c:a flac speech.flac
ff -i en.wav -ar 16000 -ac 1 -c:a pcm_s16le speech-16k.wav

# --- loudness extremes
gain=$(awk -v l="$(lufs en.wav)" 'BEGIN { printf "%.2f", -40 - l }')
ff -i en.wav -af "volume=${gain}dB" -c:a pcm_s16le quiet.wav
# +10 dB over the peak: the 16-bit conversion clips the peaks at full scale.
ff -i de.wav -af "volume=10dB" -c:a pcm_s16le loud.wav

# --- durations
ff -stream_loop -1 -t 60 -i both.wav -c:a libopus -b:a 48k -f webm pipe:1 > long-60s.webm
ff -stream_loop -1 -t 310 -i en.wav -ac 1 -c:a libopus -b:a 12k -compression_level 0 -f webm pipe:1 > too-long.webm
ff -ss 2.0 -t 0.4 -i en.wav -c:a pcm_s16le too-short.wav
ff -f lavfi -t 5 -i "anullsrc=r=48000:cl=mono" -c:a libopus -b:a 32k -f webm pipe:1 > silent.webm
ff -f lavfi -i "anoisesrc=color=white:amplitude=0.000316:seed=3:sample_rate=48000" -t 5 -c:a pcm_s16le near-silent.wav

# --- broken or not audio at all
size=$(stat -c %s chrome.webm)
head -c $((size * 60 / 100)) chrome.webm > truncated.webm
# A real ID3 tag and first frames, then deterministic garbage.
{ head -c 2048 speech.mp3; head -c 32768 /dev/zero | openssl enc -aes-128-ctr -nosalt -pass pass:hallo -pbkdf2 2>/dev/null; } > corrupt.mp3
: > empty.bin
ff -f lavfi -i "color=c=0x3366cc:s=16x16" -frames:v 1 image.png
printf '#EXTM3U\n#EXT-X-VERSION:3\n#EXTINF:5.0,\nspeech.mp3\n#EXTINF:5.0,\nhttp://example.com/remote.mp3\n#EXT-X-ENDLIST\n' > playlist.m3u
printf 'Hello, this is not audio.\nJust a text file.\n' > text.txt
printf 'RIFF is a word. This is a text file pretending to be a WAV.\n' > fake-wav.wav
ff -f lavfi -i "testsrc=s=64x48:r=10" -i en.wav -map 0:v -map 1:a -t 3 \
  -c:v mpeg4 -c:a aac -b:a 64k -shortest video-with-audio.mp4

# --- channels: a stereo mic with one side's polarity inverted (the mono sum cancels the voice),
# and a mono mic on one side of a stereo input (the other side only hears the room)
ff -i de.wav -af "pan=stereo|c0=c0|c1=-1*c0" -c:a pcm_s16le stereo-inverted.wav
ff -i de.wav -f lavfi -i "anoisesrc=color=pink:amplitude=0.0005:seed=11:sample_rate=48000" \
  -filter_complex "[0:a][1:a]join=inputs=2:channel_layout=stereo:map=0.0-FL|1.0-FR[a]" -map "[a]" -shortest \
  -c:a aac -b:a 96k -f ipod left-mic.m4a
ff -i en.wav -f lavfi -i "anoisesrc=color=pink:amplitude=0.0005:seed=12:sample_rate=48000" \
  -filter_complex "[1:a][0:a]join=inputs=2:channel_layout=stereo:map=0.0-FL|1.0-FR[a]" -map "[a]" -shortest \
  -c:a pcm_s16le right-mic.wav

# --- what phones and messengers write
ff -i de.wav -ar 16000 -ac 1 -c:a libopus -b:a 16k -application voip -f ogg whatsapp.opus  # also Signal
ff -i en.wav -ac 1 -c:a libopus -b:a 32k -application voip -f ogg telegram.oga
# AMR-NB at 12.2 kb/s from sox (ffmpeg here decodes AMR but cannot encode it); sox writes
# comfort-noise frames in pauses (DTX), as many recorders do.
ff -i de.wav -ar 8000 -ac 1 -c:a pcm_s16le de-8k.wav
sox de-8k.wav -t amr-nb -C 7 android.amr
ff -i de.wav -ar 16000 -ac 1 -c:a aac -b:a 32k -f 3gp android.3gp
ff -i de.wav -ar 44100 -ac 1 -c:a alac -f ipod voice-memo-alac.m4a
ff -i en.wav -ac 1 -c:a alac -f caf ios.caf
# Telephone band: 8 kHz G.711, band-limited to 300-3400 Hz as a phone line is.
ff -i de.wav -af "highpass=f=300,lowpass=f=3400" -ar 8000 -c:a pcm_mulaw phone-mulaw.wav
ff -i en.wav -af "highpass=f=300,lowpass=f=3400" -ar 8000 -c:a pcm_alaw phone-alaw.wav
ff -i en.wav -c:a pcm_f32le float32.wav
ff -i de.wav -ar 96000 -c:a pcm_s24le hires-96k.wav
ff -i en.wav -ar 96000 -c:a flac -sample_fmt s32 hires-96k.flac

# --- hard cases for loudness: a DC offset, 50 Hz mains hum with its harmonics (150 Hz is above
# the 80 Hz high-pass), a loud tone burst between words
ff -i de.wav -af "aeval=val(0)+0.15" -c:a pcm_s16le dc-offset.wav
ff -i de.wav -f lavfi -i "aevalsrc=0.02*sin(2*PI*50*t)+0.012*sin(2*PI*150*t)+0.008*sin(2*PI*250*t):s=48000" \
  -filter_complex "[0:a][1:a]amix=inputs=2:duration=first:normalize=0" -c:a pcm_s16le mains-hum.wav
ff -i en.wav -f lavfi -i "sine=f=1000:d=0.5:sample_rate=48000" \
  -filter_complex "[1:a]volume=-3dB,adelay=2000[b];[0:a][b]amix=inputs=2:duration=first:normalize=0" \
  -c:a pcm_s16le tone-burst.wav

# --- trimming: a 20 s pause in the middle (kept), a breath and a soft first word, and 1.2 s of
# speech in 24 s of near-silence
ff -f lavfi -i "anoisesrc=color=pink:amplitude=0.0008:seed=5:sample_rate=48000:duration=20" -c:a pcm_f32le room20.wav
ff -i en.wav -i room20.wav -i de.wav -filter_complex "[0:a][1:a][2:a]concat=n=3:v=0:a=1" -c:a pcm_s16le long-pause.wav
espeak-ng -v de -s 150 -w soft-raw.wav "Also."
ff -i soft-raw.wav -af "aresample=48000,volume=-24dB" -c:a pcm_f32le soft.wav
ff -f lavfi -i "anoisesrc=color=brown:amplitude=0.01:seed=9:sample_rate=48000:duration=0.4" -af "afade=t=in:d=0.2,afade=t=out:st=0.2:d=0.2" -c:a pcm_f32le breath.wav
ff -f lavfi -i "anullsrc=r=48000:cl=mono" -t 1.0 -c:a pcm_f32le lead.wav
ff -i lead.wav -i breath.wav -i soft.wav -i de.wav -filter_complex "[0:a][1:a][2:a][3:a]concat=n=4:v=0:a=1" -c:a pcm_s16le soft-start.wav
ff -ss 0.3 -t 1.2 -i de.wav -c:a pcm_f32le short-speech.wav
ff -f lavfi -i "anoisesrc=color=pink:amplitude=0.0003:seed=4:sample_rate=48000:duration=24" \
  -i short-speech.wav -filter_complex "[1:a]adelay=11000[s];[0:a][s]amix=inputs=2:duration=first:normalize=0" \
  -c:a pcm_s16le mostly-silence.wav

# --- levels that change within a message: a listener who lowers their voice by 30 dB for the
# second sentence, and one who laughs out loud (about -11 LUFS) before speaking softly (about
# -38 LUFS); room noise under both, as a real room has
ff -f lavfi -i "anoisesrc=color=pink:amplitude=0.0002:seed=7:sample_rate=48000:duration=0.8" -c:a pcm_f32le gap.wav
ff -i en.wav -af "volume=-30dB" -c:a pcm_f32le en-soft.wav
ff -i de.wav -i gap.wav -i en-soft.wav -filter_complex "[0:a][1:a][2:a]concat=n=3:v=0:a=1,aformat=channel_layouts=mono[v]" -map "[v]" -c:a pcm_f32le ltq.wav
ff -f lavfi -i "anoisesrc=color=pink:amplitude=0.0002:seed=8:sample_rate=48000:duration=30" -i ltq.wav \
  -filter_complex "[0:a][1:a]amix=inputs=2:duration=shortest:normalize=0" -c:a pcm_s16le loud-then-quiet.wav
espeak-ng -v de -s 170 -p 70 -a 200 -w laugh-raw.wav "Hahaha! Haha, hahaha!"
ff -i laugh-raw.wav -af "aresample=48000" -c:a pcm_f32le laugh48.wav
laugh=$(lufs laugh48.wav); ff -i laugh48.wav -af "volume=$(awk -v l="$laugh" 'BEGIN { print -11 - l }')dB" -c:a pcm_f32le laugh.wav
speech=$(lufs en.wav); ff -i en.wav -af "volume=$(awk -v l="$speech" 'BEGIN { print -38 - l }')dB" -c:a pcm_f32le en-38.wav
ff -i laugh.wav -i gap.wav -i en-38.wav -filter_complex "[0:a][1:a][2:a]concat=n=3:v=0:a=1,aformat=channel_layouts=mono[v]" -map "[v]" -c:a pcm_f32le lts.wav
ff -f lavfi -i "anoisesrc=color=pink:amplitude=0.0002:seed=9:sample_rate=48000:duration=30" -i lts.wav \
  -filter_complex "[0:a][1:a]amix=inputs=2:duration=shortest:normalize=0" -c:a pcm_s16le laugh-then-speech.wav
# AMR-NB with its comfort-noise frames inside 3GP, as Android's recorder writes it (packets copied).
ff -i android.amr -c:a copy -f 3gp android-amr.3gp
# AIFF-C with little-endian PCM (sowt), stereo 44.1 kHz, as GarageBand and macOS export.
ff -i de.wav -ar 44100 -ac 2 -c:a pcm_s16le -f aiff garageband.aiff
# Breaths and nothing else, at about -60 LUFS: no voice in it.
ff -f lavfi -i "anoisesrc=color=brown:amplitude=0.02:seed=3:sample_rate=48000:duration=0.6" -af "highpass=f=300,lowpass=f=2500,afade=t=in:d=0.3,afade=t=out:st=0.3:d=0.3" -c:a pcm_f32le one-breath.wav
ff -f lavfi -i "anullsrc=r=48000:cl=mono" -t 1.2 -c:a pcm_f32le rest.wav
ff -i one-breath.wav -i rest.wav -i one-breath.wav -i rest.wav -i one-breath.wav -i rest.wav -i one-breath.wav \
  -filter_complex "concat=n=7:v=0:a=1" -c:a pcm_f32le breaths.wav
breath=$(lufs breaths.wav); ff -i breaths.wav -af "volume=$(awk -v l="$breath" 'BEGIN { print -60 - l }')dB" -c:a pcm_s16le breaths-only.wav

# Chrome-style files must have no header duration, or they test nothing. (An output-side -t
# would make the muxer write one: the WebM recipes above cap the input side instead.)
for f in chrome.webm long-60s.webm too-long.webm silent.webm; do
  d=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$f")
  [[ "$d" == "N/A" ]] || { echo "make-fixtures: $f has a header duration ($d)" >&2; exit 1; }
done

for f in "${FILES[@]}"; do mv -f "$f" "$OUT/$f"; done
echo "$FIXTURES_VERSION" > "$OUT/.version"
