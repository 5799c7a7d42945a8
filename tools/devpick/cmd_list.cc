#include <cstdio>

#include "commands.h"
#include "emit/backend_summary.h"
#include "emit/inventory_json.h"
#include "emit/list_text.h"

namespace devpick::cli {

void AddListOptions(CLI::App* /*app*/, CommandOptions* /*options*/) {}

int RunList(Context& context, const CommandOptions& /*options*/) {
  const Inventory& inventory = context.LoadInventory();
  std::vector<BackendLine> lines = SummarizeBackends(inventory);
  if (context.options().json) {
    std::puts(InventoryToJson(inventory, ToBackendChoices(lines))
                  .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                  .c_str());
  } else {
    std::fputs(FormatInventoryText(inventory, lines, context.options().verbose > 0).c_str(),
               stdout);
  }
  return kExitOk;
}

}  // namespace devpick::cli
