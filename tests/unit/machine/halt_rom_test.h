// Where the machine tests that bring their own code start: logging off, and a BIOS ROM that is a
// single HLT (in a scratch directory), so that nothing runs but what a test puts in RAM.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "base/log.h"
#include "cpu/cpu_model.h"
#include "hostile_guest.h"
#include "machine/machine.h"

namespace pc386 {

class HaltRomTest : public ::testing::Test {
  protected:
    void SetUp() override {
        log::set_level(spdlog::level::off);
        rom_ = dir_.file("rom.bin");
        hostile::write_file(rom_, hostile::make_rom({0xF4}));
    }
    void TearDown() override { log::set_level(spdlog::level::warn); }
    // A 4 MiB machine on that ROM.
    std::unique_ptr<Machine> make_machine(CpuModel cpu = CpuModel::i386) {
        MachineConfig config = hostile::quiet_config(rom_);
        config.cpu = cpu;
        return std::make_unique<Machine>(config);
    }

    hostile::ScratchDir dir_;
    std::string rom_;
};

}  // namespace pc386
