//! The OVAL definitions document as data: definitions with their criteria trees, tests,
//! objects, states and variables, keyed by id. Element kinds stay strings (`textfilecontent54`,
//! `file`, ...) so that content using kinds Vigie does not evaluate still loads.

use std::collections::HashMap;

/// OVAL's logical operators (criteria `operator`, state `operator`, test `state_operator`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    And,
    Or,
    One,
    Xor,
}

/// OVAL's `check` enumeration: how many of several results must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    All,
    AtLeastOne,
    NoneSatisfy,
    OnlyOne,
}

/// OVAL's `check_existence` enumeration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existence {
    AllExist,
    AnyExist,
    AtLeastOneExists,
    NoneExist,
    OnlyOneExists,
}

/// The datatypes entities and variables are compared as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Datatype {
    String,
    Int,
    Float,
    Boolean,
    Version,
    DebianEvr,
    RpmEvr,
    Binary,
    /// A datatype this implementation does not know (its name kept for messages).
    Other,
}

/// The comparison an entity asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Equals,
    NotEqual,
    CaseInsensitiveEquals,
    CaseInsensitiveNotEqual,
    GreaterThan,
    LessThan,
    GreaterThanOrEqual,
    LessThanOrEqual,
    BitwiseAnd,
    BitwiseOr,
    PatternMatch,
    SubsetOf,
    SupersetOf,
}

/// A loaded document: everything keyed by id, definitions in document order.
#[derive(Debug, Default)]
pub struct Document {
    /// The file the document came from (for messages).
    pub file: String,
    pub definitions: Vec<Definition>,
    pub tests: HashMap<String, Test>,
    pub objects: HashMap<String, Object>,
    pub states: HashMap<String, State>,
    pub variables: HashMap<String, Variable>,
    /// The line each element with an id starts on (for messages).
    pub lines: HashMap<String, u32>,
}

#[derive(Debug)]
pub struct Definition {
    pub id: String,
    pub class: String,
    pub title: String,
    /// `None` for a definition without criteria (its result is "unknown" as oscap gives it).
    pub criteria: Option<Criteria>,
}

/// A node of a definition's criteria tree.
#[derive(Debug)]
pub enum Criteria {
    Group {
        operator: Operator,
        negate: bool,
        children: Vec<Criteria>,
    },
    Test {
        test_ref: String,
        negate: bool,
    },
    Extend {
        definition_ref: String,
        negate: bool,
    },
    /// A criteria element that could not be read (reported when loading): "error".
    Malformed,
}

/// A test: which object to collect, which states its items must satisfy.
#[derive(Debug)]
pub struct Test {
    pub id: String,
    /// The element name without `_test` (`textfilecontent54`, `file`, `dpkginfo`, ...).
    pub kind: String,
    pub check: Check,
    pub check_existence: Existence,
    pub state_operator: Operator,
    pub object_ref: Option<String>,
    pub state_refs: Vec<String>,
}

/// An entity of an object or a state: a named value (or a variable reference) and how to
/// compare it.
#[derive(Debug, Clone)]
pub struct Entity {
    pub name: String,
    /// The text; `None` for `xsi:nil="true"`.
    pub value: Option<String>,
    pub var_ref: Option<String>,
    pub operation: Operation,
    pub datatype: Datatype,
    pub var_check: Check,
    pub entity_check: Check,
}

/// `<filter action="include|exclude">state id</filter>`.
#[derive(Debug, Clone)]
pub struct Filter {
    pub exclude: bool,
    pub state_ref: String,
}

/// An object `<set>`: a set operation over objects or nested sets, with filters.
#[derive(Debug, Clone)]
pub struct ObjectSet {
    pub operation: SetOperation,
    pub object_refs: Vec<String>,
    pub sets: Vec<ObjectSet>,
    pub filters: Vec<Filter>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOperation {
    Union,
    Intersection,
    Complement,
}

#[derive(Debug)]
pub struct Object {
    pub id: String,
    /// The element name without `_object`.
    pub kind: String,
    pub entities: Vec<Entity>,
    /// The `behaviors` element's attributes.
    pub behaviors: HashMap<String, String>,
    pub filters: Vec<Filter>,
    pub set: Option<ObjectSet>,
}

impl Object {
    /// The entity with this name, if the object has one.
    pub fn entity(&self, name: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.name == name)
    }
}

#[derive(Debug)]
pub struct State {
    pub id: String,
    /// The element name without `_state`.
    pub kind: String,
    pub operator: Operator,
    pub entities: Vec<Entity>,
}

/// A variable: external (values given from outside), constant, or local (computed).
#[derive(Debug)]
pub struct Variable {
    pub id: String,
    pub datatype: Datatype,
    pub kind: VariableKind,
}

#[derive(Debug)]
pub enum VariableKind {
    External,
    Constant(Vec<String>),
    Local(Component),
}

/// A local variable's component or function.
#[derive(Debug)]
pub enum Component {
    Literal(String),
    Object {
        object_ref: String,
        item_field: String,
    },
    Variable(String),
    Concat(Vec<Component>),
    Arithmetic {
        add: bool,
        parts: Vec<Component>,
    },
    Count(Vec<Component>),
    Unique(Vec<Component>),
    Split {
        delimiter: String,
        part: Box<Component>,
    },
    Substring {
        start: i64,
        length: i64,
        part: Box<Component>,
    },
    RegexCapture {
        pattern: String,
        part: Box<Component>,
    },
    EscapeRegex(Box<Component>),
    GlobToRegex(Box<Component>),
    Begin {
        character: String,
        part: Box<Component>,
    },
    End {
        character: String,
        part: Box<Component>,
    },
    /// A function this implementation does not evaluate (its element name).
    Unsupported(String),
}
