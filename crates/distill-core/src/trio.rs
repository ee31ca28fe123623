//! The three models of every run, by role: whatever is kept for each of them is kept once, as a
//! `Trio`, so that a new figure or a new piece of state is added in one place, not three.

use std::ops::{Index, IndexMut};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The wide network that learns the task from labels, then is frozen.
    Teacher,
    /// The small network that learns from the teacher's softened answers.
    Student,
    /// The same small network, from the same initial weights, learning from labels only.
    Baseline,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Teacher, Role::Student, Role::Baseline];

    pub fn name(self) -> &'static str {
        match self {
            Role::Teacher => "teacher",
            Role::Student => "student",
            Role::Baseline => "baseline",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Trio<T> {
    pub teacher: T,
    pub student: T,
    pub baseline: T,
}

impl<T> Trio<T> {
    pub fn new(teacher: T, student: T, baseline: T) -> Self {
        Self { teacher, student, baseline }
    }

    /// One value per role, from `make(role)`.
    pub fn from_fn(mut make: impl FnMut(Role) -> T) -> Self {
        Self { teacher: make(Role::Teacher), student: make(Role::Student), baseline: make(Role::Baseline) }
    }

    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> Trio<U> {
        Trio { teacher: f(self.teacher), student: f(self.student), baseline: f(self.baseline) }
    }

    pub fn as_ref(&self) -> Trio<&T> {
        Trio { teacher: &self.teacher, student: &self.student, baseline: &self.baseline }
    }

    /// Teacher, student, baseline, in that order.
    pub fn iter(&self) -> impl Iterator<Item = (Role, &T)> {
        Role::ALL.into_iter().zip([&self.teacher, &self.student, &self.baseline])
    }

    pub fn into_array(self) -> [T; 3] {
        [self.teacher, self.student, self.baseline]
    }

    /// A `Trio` of results, or the first error.
    pub fn transpose<E>(trio: Trio<Result<T, E>>) -> Result<Trio<T>, E> {
        Ok(Trio { teacher: trio.teacher?, student: trio.student?, baseline: trio.baseline? })
    }
}

impl<T> Index<Role> for Trio<T> {
    type Output = T;

    fn index(&self, role: Role) -> &T {
        match role {
            Role::Teacher => &self.teacher,
            Role::Student => &self.student,
            Role::Baseline => &self.baseline,
        }
    }
}

impl<T> IndexMut<Role> for Trio<T> {
    fn index_mut(&mut self, role: Role) -> &mut T {
        match role {
            Role::Teacher => &mut self.teacher,
            Role::Student => &mut self.student,
            Role::Baseline => &mut self.baseline,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_index_their_own_value_in_order() {
        let mut trio = Trio::from_fn(Role::name);
        assert_eq!(
            trio.iter().map(|(role, name)| (role, *name)).collect::<Vec<_>>(),
            [(Role::Teacher, "teacher"), (Role::Student, "student"), (Role::Baseline, "baseline")]
        );
        trio[Role::Baseline] = "changed";
        assert_eq!(trio.into_array(), ["teacher", "student", "changed"]);
        let failed: Trio<Result<u8, &str>> = Trio::new(Ok(1), Err("no"), Ok(3));
        assert_eq!(Trio::transpose(failed), Err("no"));
    }
}
