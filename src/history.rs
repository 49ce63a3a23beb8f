//! Undo/redo: two stacks of inverse edits with the label of the action they undo.

use serde::{Deserialize, Serialize};

use crate::edit::{Edit, EditError, Touched};
use crate::model::Project;

/// One undoable step: the action's label and the edit that reverts it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// The action's name, as shown by undo and redo (`code 'Resource shortage'`).
    pub label: String,
    /// The edit that takes the project back to how it was before the action.
    pub revert: Edit,
}

/// Undo and redo stacks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// Steps that can be undone, most recent last; at most [`HISTORY_LIMIT`].
    pub undo: Vec<Step>,
    /// Steps that were undone and can be redone, most recently undone last; emptied by any new edit.
    pub redo: Vec<Step>,
}

/// How many steps the history keeps.
pub const HISTORY_LIMIT: usize = 500;

impl History {
    /// Applies a new edit; clears the redo stack.
    pub fn apply(
        &mut self,
        project: &mut Project,
        edit: Edit,
        touched: &mut Vec<Touched>,
    ) -> Result<String, EditError> {
        let label = edit.label(project);
        let revert = project.apply_tracked(edit, touched)?;
        self.undo.push(Step {
            label: label.clone(),
            revert,
        });
        if self.undo.len() > HISTORY_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        Ok(label)
    }

    /// Reverts the last step; returns its label, or None when there is nothing to undo.
    pub fn undo(
        &mut self,
        project: &mut Project,
        touched: &mut Vec<Touched>,
    ) -> Result<Option<String>, EditError> {
        let Some(step) = self.undo.pop() else {
            return Ok(None);
        };
        match project.apply_tracked(step.revert.clone(), touched) {
            Ok(redo) => {
                self.redo.push(Step {
                    label: step.label.clone(),
                    revert: redo,
                });
                Ok(Some(step.label))
            }
            Err(error) => {
                self.undo.push(step);
                Err(error)
            }
        }
    }

    /// Re-applies the last undone step.
    pub fn redo(
        &mut self,
        project: &mut Project,
        touched: &mut Vec<Touched>,
    ) -> Result<Option<String>, EditError> {
        let Some(step) = self.redo.pop() else {
            return Ok(None);
        };
        match project.apply_tracked(step.revert.clone(), touched) {
            Ok(undo) => {
                self.undo.push(Step {
                    label: step.label.clone(),
                    revert: undo,
                });
                Ok(Some(step.label))
            }
            Err(error) => {
                self.redo.push(step);
                Err(error)
            }
        }
    }

    /// The label of the step the next undo would revert, if there is one.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    /// The label of the step the next redo would re-apply, if there is one.
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }
}
