//! The sandbox's clock. Everything the sandbox times (when a call is recorded,
//! when CloudTrail delivers it, which periods an alarm looks at) reads this clock,
//! never the system's directly, so that time can be moved forward: `lab sandbox
//! advance 5m` skips a wait, and tests run on a clock that stands still until they
//! move it, so that timing is tested without sleeping.

use std::sync::Mutex;
use std::time::Duration;

/// The sandbox's clock: the system's plus what it was moved forward by, or a
/// simulated one that moves only when told.
#[derive(Debug)]
pub struct Clock {
    simulated: bool,
    /// The simulated time; for the system's clock, how far it was moved forward.
    seconds: Mutex<f64>,
}

impl Clock {
    /// The system's clock.
    pub fn system() -> Clock {
        Clock {
            simulated: false,
            seconds: Mutex::new(0.0),
        }
    }

    /// A clock that reads `start` (seconds since the epoch) until moved.
    pub fn simulated(start: f64) -> Clock {
        Clock {
            simulated: true,
            seconds: Mutex::new(start),
        }
    }

    /// Seconds since the epoch, now.
    pub fn now(&self) -> f64 {
        let seconds = *self.seconds.lock().unwrap_or_else(|e| e.into_inner());
        if self.simulated {
            seconds
        } else {
            system_now() + seconds
        }
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        *self.seconds.lock().unwrap_or_else(|e| e.into_inner()) += by.as_secs_f64();
    }
}

/// The system's time, in seconds since the epoch.
pub fn system_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// The last tick of a schedule of `interval` at or before `time`: schedules run on
/// the clock's round numbers (CloudWatch evaluates alarms on the minute).
pub fn last_tick(time: f64, interval: Duration) -> f64 {
    let interval = interval.as_secs_f64();
    if interval <= 0.0 {
        return time;
    }
    (time / interval).floor() * interval
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_simulated_clock_moves_only_when_told() {
        let clock = Clock::simulated(1000.0);
        assert_eq!(clock.now(), 1000.0);
        clock.advance(Duration::from_secs(300));
        assert_eq!(clock.now(), 1300.0);
        let system = Clock::system();
        let before = system.now();
        system.advance(Duration::from_secs(3600));
        assert!(system.now() >= before + 3600.0);
        assert_eq!(last_tick(125.0, Duration::from_secs(60)), 120.0);
        assert_eq!(last_tick(120.0, Duration::from_secs(60)), 120.0);
    }
}
