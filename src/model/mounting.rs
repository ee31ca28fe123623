//! The settings rows mount once the page has opened (or waits on its lab's files), a few at a
//! time: form controls are the costliest elements the page creates, and the settings sit far
//! under the lab's picture. The page's first render, and with it the first training step, does
//! not wait for them. No mount is a long task while the run trains: each task's rows are laid
//! out in the next frame (the panel is not under `content-visibility`, see app.css), never all
//! at once.

/// Settings rows mounted in one task.
pub const SETTINGS_ROWS_PER_TASK: usize = 6;

/// How many settings rows are mounted: none until the page may mount them, then a few more per
/// task, until all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SettingsMounted(pub usize);

impl SettingsMounted {
    pub const NONE: SettingsMounted = SettingsMounted(0);
    /// Every row, those of settings that appear later (another lab's) included.
    pub const ALL: SettingsMounted = SettingsMounted(usize::MAX);

    /// The next task's rows, of `rows` in all.
    pub fn next(self, rows: usize) -> SettingsMounted {
        match self.0.saturating_add(SETTINGS_ROWS_PER_TASK) {
            more if more >= rows => Self::ALL,
            more => SettingsMounted(more),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_mount_a_few_rows_at_a_time_then_all() {
        let mut mounted = SettingsMounted::NONE;
        let mut seen = Vec::new();
        while mounted != SettingsMounted::ALL {
            seen.push(mounted.0);
            mounted = mounted.next(14);
        }
        assert_eq!(seen, [0, 6, 12]);
        assert_eq!(SettingsMounted(12).next(14), SettingsMounted::ALL);
        assert_eq!(SettingsMounted::NONE.next(0), SettingsMounted::ALL, "no settings: nothing to wait for");
    }
}
