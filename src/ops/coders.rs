//! Coder operations: the colour of a coder's layer.

use crate::edit::{Edit, EditError, Entity, EntityKey};
use crate::ids::CoderId;
use crate::model::{Project, is_valid_colour};

/// Sets the colour of a coder's layer (`#rrggbb`), or with `None` gives it back its palette colour.
pub fn colour_coder(
    project: &Project,
    id: CoderId,
    colour: Option<&str>,
) -> Result<Edit, EditError> {
    let mut coder = project
        .coders()
        .get(&id)
        .cloned()
        .ok_or(EditError::Missing(EntityKey::Coder(id)))?;
    let colour = colour.map(|c| c.trim().to_lowercase());
    if let Some(colour) = &colour
        && !is_valid_colour(colour)
    {
        return Err(EditError::invalid(
            EntityKey::Coder(id),
            format!("'{colour}' is not a colour like #1f77b4"),
        ));
    }
    let label = match &colour {
        Some(colour) => format!("colour coder '{}' {colour}", coder.name),
        None => format!("give coder '{}' the palette colour", coder.name),
    };
    coder.colour = colour;
    Ok(Edit::Batch {
        label,
        edits: vec![Edit::Put(Entity::Coder(coder))],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Coder;

    fn with_coder() -> (Project, CoderId) {
        let mut project = Project::new("Kodarar", crate::model::Language::Nn);
        let coder = Coder {
            id: CoderId::new(),
            name: "Ingrid Solberg".into(),
            colour: None,
        };
        let id = coder.id;
        project
            .apply(Edit::Put(Entity::Coder(coder)))
            .expect("coder added");
        (project, id)
    }

    #[test]
    fn a_coder_colour_is_set_undone_and_refused_when_malformed() {
        let (mut project, id) = with_coder();
        let edit = colour_coder(&project, id, Some(" #D62728 ")).expect("a colour");
        let inverse = project.apply(edit).expect("applies");
        assert_eq!(project.coders()[&id].colour.as_deref(), Some("#d62728"));
        project.apply(inverse).expect("undo");
        assert_eq!(project.coders()[&id].colour, None);
        let err = colour_coder(&project, id, Some("raud")).expect_err("not a colour");
        assert!(err.to_string().contains("'raud' is not a colour"), "{err}");
        let missing = colour_coder(&project, CoderId::new(), Some("#000000"));
        assert!(missing.is_err());
    }
}
