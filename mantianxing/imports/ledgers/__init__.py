"""The ledgers the pipeline imports, by the name the CLI, the pages and the API use."""

from mantianxing.imports.ledgers.buildings import BuildingsImport
from mantianxing.imports.ledgers.enterprises import EnterprisesImport
from mantianxing.imports.ledgers.occupancy import OccupancyImport
from mantianxing.imports.ledgers.roster import RosterImport
from mantianxing.imports.ledgers.statistics import StatisticsImport

LEDGERS = {
    spec.ledger.value: spec
    for spec in (BuildingsImport, EnterprisesImport, OccupancyImport, RosterImport, StatisticsImport)
}
