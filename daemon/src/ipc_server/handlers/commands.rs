use luna_ipc::{COMMANDS, CommandsResult};

pub fn handle() -> CommandsResult {
    CommandsResult {
        commands: COMMANDS.iter().map(|c| (*c).to_owned()).collect(),
    }
}
