#include <cstdio>

#include "commands.h"
#include "emit/backend_summary.h"
#include "emit/inventory_json.h"
#include "emit/list_text.h"
#include "output.h"

namespace devpick::cli {

void AddListOptions(CLI::App* /*app*/, CommandOptions* /*options*/) {}

int RunList(Context& context, const CommandOptions& /*options*/) {
  const Inventory& inventory = context.LoadInventory();
  std::vector<BackendLine> lines = SummarizeBackends(inventory);
  if (context.options().json) {
    PrintData(InventoryToJson(inventory, ToBackendChoices(lines))
                  .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
              "\n");
  } else {
    PrintText(stdout, FormatInventoryText(inventory, lines, context.options().verbose > 0));
  }
  return kExitOk;
}

}  // namespace devpick::cli
