// The machine's chips, for the machine's own files (machine.cpp builds and runs them,
// machine_snapshot.cpp saves and loads them). Tools never include this: they use machine.h.
#pragma once

#include <array>
#include <string>

#include "base/io_bus.h"
#include "cpu/cpu.h"
#include "devices/cmos_rtc.h"
#include "devices/debug_console.h"
#include "devices/debug_exit.h"
#include "devices/disk_image.h"
#include "devices/dma8237.h"
#include "devices/floppy_controller.h"
#include "devices/floppy_drive.h"
#include "devices/ide_controller.h"
#include "devices/kbc8042.h"
#include "devices/pic_pair.h"
#include "devices/pit8254.h"
#include "devices/port92.h"
#include "devices/post_port.h"
#include "devices/uart16550.h"
#include "devices/vga_text.h"
#include "machine/guest_event_port.h"
#include "machine/guest_info_port.h"
#include "machine/machine.h"
#include "mmu/mmu.h"
#include "mmu/physical_bus.h"

namespace pc386 {

// Every chip of the PC, in the order they are built (members are destroyed in reverse, so the
// CPU goes before the devices it points to, and the disks are flushed last).
struct Machine::Chips {
    // The DMA controller's view of memory: the physical bus (so its writes reach the decode
    // cache's code-write tracking like any other).
    struct BusDmaMemory : DmaMemory {
        PhysicalBus& bus;
        explicit BusDmaMemory(PhysicalBus& b) : bus(b) {}
        uint8_t dma_read(uint32_t phys) override { return bus.read8(phys); }
        void dma_write(uint32_t phys, uint8_t value) override { bus.write8(phys, value); }
    };

    // Devices read virtual time through this, also in the middle of a CPU slice (a guest polling
    // the PIT counter or the RTC's UIP bit sees time move with every instruction).
    struct MachineClock : Clock {
        const VirtualNs* time;
        const Cpu* cpu = nullptr;
        uint32_t ns_per_instruction = 1;
        explicit MachineClock(const VirtualNs* t) : time(t) {}
        VirtualNs now() const override { return *time + (cpu ? cpu->retired_in_run() * ns_per_instruction : 0); }
    };

    MachineClock clock;
    PhysicalBus bus;
    Mmu mmu{bus};
    IoBus io;
    PicPair pic;
    // The PC/AT's interrupt wiring, in one place: the machine gives each chip its line.
    Pit8254 pit{pic, 0};
    CmosRtc cmos{pic, CmosRtc::kDefaultEpoch, 8};
    Kbc8042 kbc{pic, 1, 12};
    Uart16550 com1{pic, Uart16550::kCom1Base, 4};
    IdeController ide{pic, IdeController::kPrimaryBase, IdeController::kPrimaryControl, 14};
    BusDmaMemory dma_memory{bus};
    Dma8237 dma{dma_memory};
    FloppyController fdc{pic, dma, 6, Dma8237::kFloppyChannel};
    VgaText vga;
    Port92 port92;
    PostPort post;
    DebugConsole debugcon;
    DebugExit debug_exit;
    GuestInfoPort guest_info;
    GuestEventPort guest_events;
    Cpu cpu{mmu, io, &pic};
    std::string pending_serial;  // host input waiting for room in COM1's receive FIFO
    // Every device, for reset, advance and next_event (built once: the run loop walks it per slice).
    const std::array<Device*, 15> devices{&pic,  &pit,      &cmos,       &kbc,        &com1,
                                          &ide,  &dma,      &fdc,        &vga,        &port92,
                                          &post, &debugcon, &debug_exit, &guest_info, &guest_events};

    Chips(uint32_t ram_bytes, const VirtualNs* now, EventLog& events)
        : clock(now), bus(ram_bytes), guest_events(bus, events) {}
};

}  // namespace pc386
