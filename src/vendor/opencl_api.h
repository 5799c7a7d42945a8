// The symbol tables devpick binds from the OpenCL ICD loader (libOpenCL.so.1), with types and
// constants from Debian's official <CL/cl.h>, and the names of the cl_int error codes.
//
// OpenClDeviceApi lists platforms and devices and reads their properties: the probe binds only it.
// OpenClComputeApi creates contexts, queues, programs and buffers: only `devpick verify` binds it,
// together with OpenClDeviceApi. Every entry point comes from the loaded library, never from
// link-time symbols, so devpick runs (and reports the missing runtime) where no OpenCL is
// installed.
#ifndef DEVPICK_SRC_VENDOR_OPENCL_API_H_
#define DEVPICK_SRC_VENDOR_OPENCL_API_H_

// The 3.0 headers declare everything devpick uses; clCreateCommandQueue, which verify uses because
// 1.2 platforms lack its successor, is only marked deprecated there.
#define CL_TARGET_OPENCL_VERSION 300
#define CL_USE_DEPRECATED_OPENCL_1_2_APIS
#include <CL/cl.h>
#include <CL/cl_ext.h>

#include <array>

#include "probes/dynlib.h"

namespace devpick {

inline constexpr const char kOpenClSoname[] = "libOpenCL.so.1";

struct OpenClDeviceApi {
  decltype(clGetPlatformIDs)* get_platform_ids = nullptr;
  decltype(clGetPlatformInfo)* get_platform_info = nullptr;
  decltype(clGetDeviceIDs)* get_device_ids = nullptr;
  decltype(clGetDeviceInfo)* get_device_info = nullptr;

  // The bindings for ResolveSymbols, in the order a missing symbol is found.
  std::array<SymbolSlot, 4> Slots() {
    return {
        Required("clGetPlatformIDs", &get_platform_ids),
        Required("clGetPlatformInfo", &get_platform_info),
        Required("clGetDeviceIDs", &get_device_ids),
        Required("clGetDeviceInfo", &get_device_info),
    };
  }
};

struct OpenClComputeApi {
  decltype(clCreateContext)* create_context = nullptr;
  decltype(clReleaseContext)* release_context = nullptr;
  decltype(clCreateCommandQueue)* create_command_queue = nullptr;
  decltype(clReleaseCommandQueue)* release_command_queue = nullptr;
  decltype(clCreateProgramWithSource)* create_program_with_source = nullptr;
  decltype(clBuildProgram)* build_program = nullptr;
  decltype(clGetProgramBuildInfo)* get_program_build_info = nullptr;
  decltype(clReleaseProgram)* release_program = nullptr;
  decltype(clCreateKernel)* create_kernel = nullptr;
  decltype(clReleaseKernel)* release_kernel = nullptr;
  decltype(clSetKernelArg)* set_kernel_arg = nullptr;
  decltype(clCreateBuffer)* create_buffer = nullptr;
  decltype(clReleaseMemObject)* release_mem_object = nullptr;
  decltype(clEnqueueWriteBuffer)* enqueue_write_buffer = nullptr;
  decltype(clEnqueueReadBuffer)* enqueue_read_buffer = nullptr;
  decltype(clEnqueueCopyBuffer)* enqueue_copy_buffer = nullptr;
  decltype(clEnqueueNDRangeKernel)* enqueue_nd_range_kernel = nullptr;
  decltype(clFinish)* finish = nullptr;

  // The bindings for ResolveSymbols, in the order a missing symbol is found.
  std::array<SymbolSlot, 18> Slots() {
    return {
        Required("clCreateContext", &create_context),
        Required("clReleaseContext", &release_context),
        Required("clCreateCommandQueue", &create_command_queue),
        Required("clReleaseCommandQueue", &release_command_queue),
        Required("clCreateProgramWithSource", &create_program_with_source),
        Required("clBuildProgram", &build_program),
        Required("clGetProgramBuildInfo", &get_program_build_info),
        Required("clReleaseProgram", &release_program),
        Required("clCreateKernel", &create_kernel),
        Required("clReleaseKernel", &release_kernel),
        Required("clSetKernelArg", &set_kernel_arg),
        Required("clCreateBuffer", &create_buffer),
        Required("clReleaseMemObject", &release_mem_object),
        Required("clEnqueueWriteBuffer", &enqueue_write_buffer),
        Required("clEnqueueReadBuffer", &enqueue_read_buffer),
        Required("clEnqueueCopyBuffer", &enqueue_copy_buffer),
        Required("clEnqueueNDRangeKernel", &enqueue_nd_range_kernel),
        Required("clFinish", &finish),
    };
  }
};

inline constexpr ResultName kOpenClResultNames[] = {
    {CL_SUCCESS, "CL_SUCCESS"},
    {CL_DEVICE_NOT_FOUND, "CL_DEVICE_NOT_FOUND"},
    {CL_DEVICE_NOT_AVAILABLE, "CL_DEVICE_NOT_AVAILABLE"},
    {CL_COMPILER_NOT_AVAILABLE, "CL_COMPILER_NOT_AVAILABLE"},
    {CL_MEM_OBJECT_ALLOCATION_FAILURE, "CL_MEM_OBJECT_ALLOCATION_FAILURE"},
    {CL_OUT_OF_RESOURCES, "CL_OUT_OF_RESOURCES"},
    {CL_OUT_OF_HOST_MEMORY, "CL_OUT_OF_HOST_MEMORY"},
    {CL_PROFILING_INFO_NOT_AVAILABLE, "CL_PROFILING_INFO_NOT_AVAILABLE"},
    {CL_MEM_COPY_OVERLAP, "CL_MEM_COPY_OVERLAP"},
    {CL_BUILD_PROGRAM_FAILURE, "CL_BUILD_PROGRAM_FAILURE"},
    {CL_MAP_FAILURE, "CL_MAP_FAILURE"},
    {CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST, "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST"},
    {CL_COMPILE_PROGRAM_FAILURE, "CL_COMPILE_PROGRAM_FAILURE"},
    {CL_LINK_PROGRAM_FAILURE, "CL_LINK_PROGRAM_FAILURE"},
    {CL_INVALID_VALUE, "CL_INVALID_VALUE"},
    {CL_INVALID_DEVICE_TYPE, "CL_INVALID_DEVICE_TYPE"},
    {CL_INVALID_PLATFORM, "CL_INVALID_PLATFORM"},
    {CL_INVALID_DEVICE, "CL_INVALID_DEVICE"},
    {CL_INVALID_CONTEXT, "CL_INVALID_CONTEXT"},
    {CL_INVALID_QUEUE_PROPERTIES, "CL_INVALID_QUEUE_PROPERTIES"},
    {CL_INVALID_COMMAND_QUEUE, "CL_INVALID_COMMAND_QUEUE"},
    {CL_INVALID_HOST_PTR, "CL_INVALID_HOST_PTR"},
    {CL_INVALID_MEM_OBJECT, "CL_INVALID_MEM_OBJECT"},
    {CL_INVALID_BINARY, "CL_INVALID_BINARY"},
    {CL_INVALID_BUILD_OPTIONS, "CL_INVALID_BUILD_OPTIONS"},
    {CL_INVALID_PROGRAM, "CL_INVALID_PROGRAM"},
    {CL_INVALID_PROGRAM_EXECUTABLE, "CL_INVALID_PROGRAM_EXECUTABLE"},
    {CL_INVALID_KERNEL_NAME, "CL_INVALID_KERNEL_NAME"},
    {CL_INVALID_KERNEL_DEFINITION, "CL_INVALID_KERNEL_DEFINITION"},
    {CL_INVALID_KERNEL, "CL_INVALID_KERNEL"},
    {CL_INVALID_ARG_INDEX, "CL_INVALID_ARG_INDEX"},
    {CL_INVALID_ARG_VALUE, "CL_INVALID_ARG_VALUE"},
    {CL_INVALID_ARG_SIZE, "CL_INVALID_ARG_SIZE"},
    {CL_INVALID_KERNEL_ARGS, "CL_INVALID_KERNEL_ARGS"},
    {CL_INVALID_WORK_DIMENSION, "CL_INVALID_WORK_DIMENSION"},
    {CL_INVALID_WORK_GROUP_SIZE, "CL_INVALID_WORK_GROUP_SIZE"},
    {CL_INVALID_WORK_ITEM_SIZE, "CL_INVALID_WORK_ITEM_SIZE"},
    {CL_INVALID_GLOBAL_OFFSET, "CL_INVALID_GLOBAL_OFFSET"},
    {CL_INVALID_EVENT_WAIT_LIST, "CL_INVALID_EVENT_WAIT_LIST"},
    {CL_INVALID_EVENT, "CL_INVALID_EVENT"},
    {CL_INVALID_OPERATION, "CL_INVALID_OPERATION"},
    {CL_INVALID_BUFFER_SIZE, "CL_INVALID_BUFFER_SIZE"},
    {CL_INVALID_GLOBAL_WORK_SIZE, "CL_INVALID_GLOBAL_WORK_SIZE"},
    {CL_INVALID_PROPERTY, "CL_INVALID_PROPERTY"},
    {CL_INVALID_COMPILER_OPTIONS, "CL_INVALID_COMPILER_OPTIONS"},
    // cl_khr_icd: the loader found no platform at all.
    {CL_PLATFORM_NOT_FOUND_KHR, "CL_PLATFORM_NOT_FOUND_KHR"},
};

}  // namespace devpick

#endif  // DEVPICK_SRC_VENDOR_OPENCL_API_H_
