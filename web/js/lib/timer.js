// Countdown timers and the sound cue. Timers run `speedFactor()` times faster when the page has
// ?speed=N (tests, trying it out); the display always shows real seconds of the exercise.

// The timer speed factor (?speed=20 makes timers run 20 times faster; for tests and trying out).
export function speedFactor() {
  const value = Number(new URLSearchParams(window.location.search).get('speed'));
  return Number.isFinite(value) && value >= 1 && value <= 1000 ? value : 1;
}

let audio = null;
let beeps = 0;

// A short beep (WebAudio); `count` beeps a little apart. Counted in <body data-beeps> for tests.
export function beep(count = 1) {
  beeps += count;
  document.body.dataset.beeps = String(beeps);
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    for (let i = 0; i < count; i += 1) {
      const start = audio.currentTime + i * 0.3;
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, start);
      gain.gain.exponentialRampToValueAtTime(0.001, start + 0.25);
      osc.connect(gain).connect(audio.destination);
      osc.start(start);
      osc.stop(start + 0.26);
    }
  } catch {
    // No sound available: the visual cue and the announcement remain.
  }
}

// Counts `seconds` down; onTick(remaining) about 10 times a second; resolves when done, or
// rejects with 'stopped' when stop() is called.
export class Countdown {
  constructor(seconds, onTick) {
    this.seconds = seconds;
    this.onTick = onTick;
    this.paused = false;
    this.elapsed = 0;
  }

  start() {
    const speed = speedFactor();
    return new Promise((resolve, reject) => {
      this.reject = reject;
      let last = performance.now();
      this.onTick(this.seconds);
      this.handle = setInterval(() => {
        const now = performance.now();
        if (!this.paused) this.elapsed += ((now - last) / 1000) * speed;
        last = now;
        const remaining = this.seconds - this.elapsed;
        this.onTick(Math.max(0, remaining));
        if (remaining <= 0) {
          clearInterval(this.handle);
          resolve();
        }
      }, 100);
    });
  }

  stop() {
    clearInterval(this.handle);
    if (this.reject) this.reject(new Error('stopped'));
  }
}
